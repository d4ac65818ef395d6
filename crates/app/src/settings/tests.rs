//! The configuration's rules, loading and example file, tested.
use super::*;

#[test]
fn production_needs_a_real_secret() {
    let prod = Settings {
        environment: Environment::Production,
        ..Settings::default()
    };
    assert!(prod.validate().is_err());
    let weak = Settings {
        secret_key: Some("short".into()),
        ..prod.clone()
    };
    assert!(weak.validate().is_err());
    let public = Settings {
        secret_key: Some(KNOWN_PUBLIC_SECRET.into()),
        ..prod.clone()
    };
    assert!(public.validate().is_err());
    let good = Settings {
        secret_key: Some("x".repeat(40)),
        ..prod
    };
    assert!(good.validate().is_ok());
    assert!(Settings::default().validate().is_ok());
}

#[test]
fn finished_jobs_are_kept_the_days_given_or_for_ever() {
    let with = |days: u64| Settings {
        job_history_days: days,
        ..Settings::default()
    };
    assert_eq!(
        with(7).service().job_history,
        Some(Duration::from_secs(7 * 86_400))
    );
    assert_eq!(with(0).service().job_history, None);
    assert!(with(MAX_JOB_HISTORY_DAYS).validate().is_ok());
    assert!(with(MAX_JOB_HISTORY_DAYS + 1).validate().is_err());
}

#[test]
fn file_storage_is_local_database_or_chosen_by_the_database() {
    let with = |v: &str| Settings {
        file_storage: v.into(),
        ..Settings::default()
    };
    assert!(with("s3").validate().is_err());
    assert_eq!(with("").service().file_storage, None);
    assert_eq!(
        with("database").service().file_storage,
        Some(FileStorage::Database)
    );
    assert_eq!(
        with("local").service().file_storage,
        Some(FileStorage::Local)
    );
}

#[test]
#[allow(clippy::result_large_err)] // figment's Jail dictates the closure's error type
fn old_and_new_variable_names_are_read() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("DATABASE_URL", "sqlite:///./old.db");
        jail.set_env("ACCESS_TOKEN_EXPIRE_MINUTES", "15");
        jail.set_env("FIXDESK_BIND", "127.0.0.1:9000");
        jail.create_file(
            "fixdesk.toml",
            "cors_origins = \"http://a.example, http://b.example\"",
        )?;
        let s = Settings::load().map_err(|e| e.to_string())?;
        assert_eq!(s.database_url, "sqlite:///./old.db");
        assert_eq!(s.access_token_expire_minutes, 15);
        assert_eq!(s.bind, "127.0.0.1:9000");
        assert_eq!(
            s.edge().cors,
            CorsPolicy::Origins(vec!["http://a.example".into(), "http://b.example".into()])
        );
        jail.set_env("FIXDESK_DATABASE_URL", "sqlite://new.db");
        let s = Settings::load().map_err(|e| e.to_string())?;
        assert_eq!(s.database_url, "sqlite://new.db");
        Ok(())
    });
}

#[test]
#[allow(clippy::result_large_err)] // figment's Jail dictates the closure's error type
fn configuration_mistakes_stop_the_start_naming_file_and_key() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("FIXDESK_CONFIG", "missing.toml");
        let e = Settings::load().map(drop).map_err(|e| e.to_string());
        assert!(matches!(&e, Err(m) if m.contains("missing.toml")), "{e:?}");
        jail.create_file("typo.toml", "max_in_fligth = 5")?;
        jail.set_env("FIXDESK_CONFIG", "typo.toml");
        let e = Settings::load().map(drop).map_err(|e| e.to_string());
        assert!(
            matches!(&e, Err(m) if m.contains("typo.toml") && m.contains("max_in_fligth")),
            "{e:?}"
        );
        jail.create_file("types.toml", "max_in_flight = \"many\"")?;
        jail.set_env("FIXDESK_CONFIG", "types.toml");
        let e = Settings::load().map(drop).map_err(|e| e.to_string());
        assert!(
            matches!(&e, Err(m) if m.contains("types.toml") && m.contains("max_in_flight")),
            "{e:?}"
        );
        Ok(())
    });
}

#[test]
#[allow(clippy::result_large_err)] // figment's Jail dictates the closure's error type
fn a_file_in_a_parent_directory_configures_nothing() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("fixdesk.toml", "bind = \"0.0.0.0:1\"")?;
        std::fs::create_dir("below").map_err(|e| e.to_string())?;
        jail.change_dir("below")?;
        let s = Settings::load().map_err(|e| e.to_string())?;
        assert_eq!(s.bind, Settings::default().bind);
        Ok(())
    });
}

/// `fixdesk.example.toml` names every setting, each at its default where it has one, and
/// loads as it stands once uncommented.
#[test]
#[allow(clippy::result_large_err)] // figment's Jail dictates the closure's error type
fn the_example_configuration_names_every_key_at_its_default() {
    let example = include_str!("../../../../fixdesk.example.toml");
    let uncommented: String = example
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')))
        .map(|l| format!("{l}\n"))
        .collect();
    let defaults = serde_json::to_value(Settings::default()).unwrap_or_default();
    let keys: Vec<&str> = uncommented
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
        .collect();
    for key in defaults.as_object().into_iter().flat_map(|m| m.keys()) {
        assert!(
            keys.contains(&key.as_str()),
            "{key} is missing from the example"
        );
    }
    figment::Jail::expect_with(|jail| {
        jail.create_file("all.toml", &uncommented)?;
        jail.set_env("FIXDESK_CONFIG", "all.toml");
        let loaded = Settings::load().map_err(|e| e.to_string())?;
        let loaded = serde_json::to_value(loaded).unwrap_or_default();
        for (key, default) in defaults.as_object().into_iter().flatten() {
            if !default.is_null() {
                assert_eq!(&loaded[key], default, "{key} is not at its default");
            }
        }
        Ok(())
    });
}
