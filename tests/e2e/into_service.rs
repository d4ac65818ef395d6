//! Putting the desk into service: the first admin's password goes to a file only the service's
//! user can read and never into its output; a configuration mistake stops the start, naming
//! the file and the key.

use std::{os::unix::fs::PermissionsExt, process::Stdio, time::Duration};

use fixdesk_tests::TEST_SECRET;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

fn server(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fixdesk-e2e-server"));
    cmd.current_dir(dir)
        .env_remove("FIXDESK_ADMIN_PASSWORD")
        .env_remove("FIXDESK_CONFIG")
        .env("FIXDESK_BIND", "127.0.0.1:0")
        .env("FIXDESK_DATABASE_URL", dir.join("fixdesk.db"))
        .env("FIXDESK_DATA_DIR", dir.join("data"))
        .env("FIXDESK_SECRET_KEY", TEST_SECRET)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

#[tokio::test]
async fn the_first_admins_password_is_in_a_private_file_never_in_the_output() {
    if fixdesk_tests::on_postgres() {
        return; // the database is the point here only for its emptiness: SQLite suffices
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = server(dir.path()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut said = Vec::new();
    let base = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            said.push(line.clone());
            if let Some(rest) = line.strip_prefix("fixdesk is serving on ") {
                return rest
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string();
            }
        }
        panic!("the server exited before serving: {said:?}");
    })
    .await
    .unwrap();
    let file = dir.path().join("data").join("initial-admin-password");
    let meta = std::fs::metadata(&file).expect("the password file");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let password = std::fs::read_to_string(&file).unwrap().trim().to_string();
    assert!(password.len() >= 16, "a real password");
    assert!(
        said.iter().any(|l| l.contains("initial-admin-password")),
        "the output says where: {said:?}"
    );
    let signed_in = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/token"))
        .form(&[("username", "admin"), ("password", password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        signed_in.status(),
        reqwest::StatusCode::OK,
        "the file's password signs in"
    );
    child.kill().await.unwrap();
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut err)
            .await
            .unwrap();
    }
    assert!(
        !said.iter().any(|l| l.contains(&password)) && !err.contains(&password),
        "the password appears in no output"
    );
}

#[tokio::test]
async fn a_configuration_mistake_stops_the_start_naming_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (file, text, must_name) in [
        ("missing.toml", None, "missing.toml"),
        ("typo.toml", Some("max_in_fligth = 5\n"), "max_in_fligth"),
        (
            "type.toml",
            Some("max_in_flight = \"many\"\n"),
            "max_in_flight",
        ),
    ] {
        if let Some(text) = text {
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let out = server(dir.path())
            .env("FIXDESK_CONFIG", file)
            .output()
            .await
            .unwrap();
        assert!(!out.status.success(), "{file} must stop the start");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(file) && err.contains(must_name),
            "{file}: {err}"
        );
    }
}

#[tokio::test]
async fn assets_are_named_by_their_content_and_kept_only_under_that_name() {
    let app = fixdesk_tests::TestApp::spawn().await;
    let page = app
        .client
        .get(app.url("/ui/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let script = page
        .split("src=\"")
        .find_map(|s| s.strip_prefix("/ui/assets/app.js?v="))
        .and_then(|s| s.split('"').next())
        .expect("the script's versioned address")
        .to_string();
    assert_eq!(
        script.len(),
        16,
        "a digest, not the release number: {script}"
    );
    let r = app
        .client
        .get(app.url(&format!("/ui/assets/app.js?v={script}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        fixdesk_tests::header(&r, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let body = r.text().await.unwrap();
    // The digest is of what is served (FNV-1a over its bytes).
    let fnv = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    assert_eq!(format!("{fnv:016x}"), script);
    // A page from before an upgrade names another version: served, not kept.
    let old = app
        .client
        .get(app.url("/ui/assets/app.js?v=0.1.0"))
        .send()
        .await
        .unwrap();
    assert_eq!(fixdesk_tests::header(&old, "cache-control"), "no-cache");
}

#[tokio::test]
async fn under_systemd_the_server_says_it_is_ready_once_it_listens() {
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify.sock");
    let socket = tokio::net::UnixDatagram::bind(&socket_path).unwrap();
    let mut child = server(dir.path())
        // Its log is not read here: a full pipe would stall the server (PostgreSQL logs more).
        .stderr(Stdio::null())
        .env("FIXDESK_ADMIN_PASSWORD", fixdesk_tests::ADMIN_PASSWORD)
        .env("NOTIFY_SOCKET", &socket_path)
        .env(
            "FIXDESK_DATABASE_URL",
            fixdesk_tests::database_url_for(dir.path()).await,
        )
        .spawn()
        .unwrap();
    let mut buf = vec![0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(60), socket.recv(&mut buf))
        .await
        .expect("a message within a minute")
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&buf[..n]).trim(), "READY=1");
    // By then it answers.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut base = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(rest) = line.strip_prefix("fixdesk is serving on ") {
            base = rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
            break;
        }
    }
    // What it prints from now on is read and dropped, so it never waits on the pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.status(), reqwest::StatusCode::OK);
    // SIGTERM: it says it is stopping.
    let pid = child.id().unwrap();
    std::process::Command::new("kill")
        .arg(pid.to_string())
        .status()
        .unwrap();
    let n = tokio::time::timeout(Duration::from_secs(30), socket.recv(&mut buf))
        .await
        .expect("a message on stopping")
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&buf[..n]).trim(), "STOPPING=1");
    child.wait().await.unwrap();
}
