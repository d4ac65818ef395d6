//! Backups: one file with a consistent snapshot and every file, made while the desk takes
//! writes, restored into an empty desk with everything acknowledged before it began (byte for
//! byte); a damaged file refused; a non-empty target refused; the desk's own schedule — made
//! by the job queue, rotated, a failure keeping the older backups, shown to admins and on
//! `/ready`; and a backup killed half-way leaving no file that passes for a finished one.

use std::{collections::BTreeMap, path::Path, time::Duration};

use fixdesk_tests::{TestApp, TestUser, database_url_for, on_postgres, settings_for};
use reqwest::{
    Method, StatusCode,
    multipart::{Form, Part},
};

use crate::server_process::ServerProcess;

/// A PNG header and `n` bytes of a pattern: a file the upload checks take, unique per `n`.
fn picture(n: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89".to_vec();
    bytes.extend((0..n).map(|i| (i * 31 + n) as u8));
    bytes
}

/// Files a ticket with a picture; the ticket's id and the picture, when both were acknowledged.
async fn file_one(app: &TestApp, user: &TestUser, n: usize) -> Option<(i64, Vec<u8>)> {
    let (status, t) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(serde_json::json!({"title": format!("Заявка {n}"), "description": "x", "room_number": "1"})),
        )
        .await;
    if status != StatusCode::CREATED {
        return None;
    }
    let id = t["id"].as_i64()?;
    let bytes = picture(1000 + n);
    let form = Form::new().part(
        "file",
        Part::bytes(bytes.clone()).file_name(format!("p{n}.png")),
    );
    let r = app
        .req(
            Method::POST,
            &format!("/api/v1/attachments/upload/{id}"),
            Some(&user.token),
        )
        .multipart(form)
        .send()
        .await
        .ok()?;
    (r.status() == StatusCode::CREATED).then_some((id, bytes))
}

/// Every ticket's title and its attachments' bytes, as a desk serves them.
async fn contents(app: &TestApp, token: &str) -> BTreeMap<i64, Vec<Vec<u8>>> {
    let (_, list) = app
        .call(
            Method::GET,
            "/api/v1/tickets/?limit=1000",
            Some(token),
            None,
        )
        .await;
    let mut out = BTreeMap::new();
    for t in list.as_array().unwrap() {
        let id = t["id"].as_i64().unwrap();
        let (_, files) = app
            .call(
                Method::GET,
                &format!("/api/v1/attachments/{id}"),
                Some(token),
                None,
            )
            .await;
        let mut bodies = Vec::new();
        for f in files.as_array().unwrap() {
            let r = app
                .req(
                    Method::GET,
                    &format!("/api/v1/attachments/download/{}", f["id"]),
                    Some(token),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            bodies.push(r.bytes().await.unwrap().to_vec());
        }
        out.insert(id, bodies);
    }
    out
}

/// The settings of an empty desk in `dir`.
async fn empty_desk(dir: &Path) -> fixdesk_app::Settings {
    let mut settings = settings_for(dir);
    settings.database_url = database_url_for(dir).await;
    settings
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_everything_acknowledged_before_it() {
    let app = TestApp::spawn().await;
    let user = app.user("writer", "user").await;
    let mut before = BTreeMap::new();
    for n in 0..8 {
        let (id, bytes) = file_one(&app, &user, n).await.expect("acknowledged");
        before.insert(id, bytes);
    }
    // Writers go on while the backup runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers = {
        let (app, user, stop) = (&app, &user, stop.clone());
        async move {
            let mut n = 100;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                file_one(app, user, n).await;
                n += 1;
            }
        }
    };
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("desk.tar.gz");
    let backup = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let report = app.service.operator().backup(&archive).await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        report
    };
    let (report, ()) = tokio::join!(backup, writers);
    let report = report.expect("the backup");
    if on_postgres() {
        // There the files live in the database: its dump carries them.
        assert_eq!(report.files, 0, "{report:?}");
    } else {
        assert!(report.files >= before.len(), "{report:?}");
    }
    assert!(report.size > 0);
    // A second backup to the same name is refused, the first kept.
    assert!(app.service.operator().backup(&archive).await.is_err());

    let target = tempfile::tempdir().unwrap();
    let settings = empty_desk(target.path()).await;
    let restored = fixdesk_service::restore(&settings.service(), &archive, false)
        .await
        .expect("restored");
    assert_eq!(restored.audit_problems, 0);
    assert_eq!(restored.counter_differences, 0);
    let tickets = restored
        .counts
        .iter()
        .find(|(t, _)| *t == "tickets")
        .unwrap()
        .1;
    assert!(tickets >= before.len() as i64);
    // The restored desk serves every ticket and file acknowledged before the backup began.
    let desk = TestApp::spawn_with(settings, target).await;
    let admin = desk.admin_token().await;
    let served = contents(&desk, &admin).await;
    for (id, bytes) in &before {
        assert_eq!(served.get(id), Some(&vec![bytes.clone()]), "ticket {id}");
    }
}

#[tokio::test]
async fn a_damaged_backup_or_a_desk_that_is_not_empty_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.user("someone", "user").await;
    file_one(&app, &user, 1).await.expect("acknowledged");
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("desk.tar.gz");
    app.service
        .operator()
        .backup(&archive)
        .await
        .expect("backup");
    assert!(fixdesk_service::check_backup(&archive).await.is_ok());

    let bytes = std::fs::read(&archive).unwrap();
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    let damaged = out.path().join("damaged.tar.gz");
    std::fs::write(&damaged, &flipped).unwrap();
    let cut = out.path().join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    for bad in [&damaged, &cut] {
        assert!(
            fixdesk_service::check_backup(bad).await.is_err(),
            "{}",
            bad.display()
        );
        let target = tempfile::tempdir().unwrap();
        let settings = empty_desk(target.path()).await;
        assert!(
            fixdesk_service::restore(&settings.service(), bad, false)
                .await
                .is_err()
        );
        if !on_postgres() {
            assert!(
                !target.path().join("fixdesk.db").exists(),
                "nothing was put in place"
            );
        }
    }
    // Into the desk it came from: refused without --force, replaced with it.
    let live = &app.settings;
    let refused = fixdesk_service::restore(&live.service(), &archive, false).await;
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("already holds a desk")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_desk_backs_itself_up_rotates_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let mut settings = settings_for(dir.path());
    settings.backup_dir = Some(backups.display().to_string());
    settings.backup_keep = 2;
    let app = TestApp::spawn_with(settings, dir).await;
    let admin = app.admin_token().await;
    let user = app.user("plain", "user").await;
    assert_eq!(
        app.status(Method::GET, "/api/v1/backups", Some(&user.token), None)
            .await,
        StatusCode::FORBIDDEN
    );
    let status = || async {
        let (s, body) = app
            .call(Method::GET, "/api/v1/backups", Some(&admin), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        body
    };
    let back_up = || async {
        let (s, body) = app
            .call(Method::POST, "/api/v1/backups", Some(&admin), None)
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{body}");
        app.jobs_settled().await;
    };
    assert!(status().await["last_success"].is_null());
    let mut names = Vec::new();
    for _ in 0..3 {
        back_up().await;
        let s = status().await;
        names.push(s["last_success"]["file"].as_str().unwrap().to_string());
        // Names are stamped to the second.
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let s = status().await;
    let kept: Vec<&str> = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        kept,
        vec![names[2].as_str(), names[1].as_str()],
        "the newest two"
    );
    assert!(!backups.join(&names[0]).exists());
    let ready = fixdesk_tests::until_ready_is(&app.base, StatusCode::OK).await;
    assert_eq!(ready["backup"]["failing"], false, "{ready}");
    assert!(ready["backup"]["last_success"].is_string(), "{ready}");

    // A failing backup removes nothing and says so: here the next names are taken (by
    // directories), and a backup never replaces anything.
    let now = chrono::Utc::now().naive_utc();
    for s in 0..30 {
        let name =
            fixdesk_service::domain::backup::archive_name(now + chrono::Duration::seconds(s));
        std::fs::create_dir_all(backups.join(name)).unwrap();
    }
    back_up().await;
    let s = status().await;
    assert_eq!(s["failing"], true, "{s}");
    assert!(
        s["last_failure"]["error"]
            .as_str()
            .is_some_and(|e| e.contains("exists")),
        "{s}"
    );
    assert!(
        backups.join(&names[1]).exists() && backups.join(&names[2]).exists(),
        "older backups stay"
    );
    let ready = fixdesk_tests::until_ready_is(&app.base, StatusCode::OK).await;
    assert_eq!(ready["backup"]["failing"], true, "{ready}");
    // The admins' page says where things stand.
    let page = app
        .page(Method::GET, "/ui/backups", &admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&names[2]), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_killed_half_way_leaves_the_older_ones_and_nothing_that_passes_for_finished() {
    if on_postgres() {
        return; // the server process here runs on its own SQLite file
    }
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let url = dir.path().join("fixdesk.db").display().to_string();
    let backup_dir = backups.display().to_string();
    let settings = [("FIXDESK_BACKUP_DIR", backup_dir.as_str())];
    let server = ServerProcess::start_with(dir.path(), &url, &settings).await;
    let http = reqwest::Client::new();
    let token = sign_in(&server.base, "admin", fixdesk_tests::ADMIN_PASSWORD).await;
    let back_up = || {
        http.post(format!("{}/api/v1/backups", server.base))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(back_up().await.unwrap().status(), StatusCode::ACCEPTED);
    let first = wait_for_archive(&backups, 0).await;
    let first_bytes = std::fs::read(backups.join(&first)).unwrap();
    // Make the next backup take a while: 40 files of 1 MiB of noise.
    let user_token = token.clone();
    let (_, t) = fixdesk_tests::status_json(
        http.post(format!("{}/api/v1/tickets/", server.base))
            .bearer_auth(&user_token)
            .json(&serde_json::json!({"title": "Фото", "description": "x", "room_number": "1"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let id = t["id"].as_i64().unwrap();
    for n in 0..40u32 {
        let mut bytes = picture(0);
        let mut x = n.wrapping_mul(2_654_435_761) | 1;
        bytes.extend((0..1 << 20).map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        }));
        let form = Form::new().part("file", Part::bytes(bytes).file_name(format!("n{n}.png")));
        let r = http
            .post(format!("{}/api/v1/attachments/upload/{id}", server.base))
            .bearer_auth(&user_token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(back_up().await.unwrap().status(), StatusCode::ACCEPTED);
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.kill().await;
    // The older backup is whole and unchanged; every file with a finished name is whole.
    assert_eq!(std::fs::read(backups.join(&first)).unwrap(), first_bytes);
    for entry in std::fs::read_dir(&backups).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if fixdesk_service::domain::backup::is_archive_name(&name) {
            assert!(
                fixdesk_service::check_backup(&path).await.is_ok(),
                "{name} passes for finished but is not whole"
            );
        }
    }
    // Started again, the desk backs up, clearing what the killed one left.
    let server = ServerProcess::start_with(dir.path(), &url, &settings).await;
    let token = sign_in(&server.base, "admin", fixdesk_tests::ADMIN_PASSWORD).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let job = loop {
        let r = http
            .post(format!("{}/api/v1/backups", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        // A job left running by the killed server is given back once its lease lapses.
        if r.status() == StatusCode::ACCEPTED {
            break fixdesk_tests::status_json(r).await.1["id"]
                .as_i64()
                .unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "{}", r.status());
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    // Once nothing runs any more: the newest backup is whole and nothing partial is left.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let status = loop {
        let (_, status) = fixdesk_tests::status_json(
            http.get(format!("{}/api/v1/backups", server.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        let ours = status["last_success"]["job_id"].as_i64() == Some(job);
        if status["running"].is_null() && ours {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "{status}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    let newest = status["files"][0]["name"].as_str().unwrap().to_string();
    assert!(
        fixdesk_service::check_backup(&backups.join(&newest))
            .await
            .is_ok()
    );
    let left: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial") || n.starts_with('.'))
        .collect();
    assert!(
        left.is_empty(),
        "what the killed backup left is cleared: {left:?} {status}"
    );
    server.stop().await;
}

/// Waits (up to two minutes) until `dir` holds more than `had` finished archives; the newest.
async fn wait_for_archive(dir: &Path, had: usize) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| fixdesk_service::domain::backup::is_archive_name(n))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        if names.len() > had {
            return names.pop().unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "no backup appeared");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Signs in to the server at `base`.
async fn sign_in(base: &str, name: &str, password: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/token"))
        .form(&[("username", name), ("password", password)])
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}
