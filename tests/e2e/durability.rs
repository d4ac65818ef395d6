//! A 2xx means the change is on disk: a full disk (or a file-size limit) answers 503 and
//! recovers by itself when space returns, and a `kill -9` under write load loses nothing that
//! was acknowledged.

use std::{collections::BTreeSet, time::Duration};

use fixdesk_service::{Fixdesk, ServiceSettings};
use fixdesk_tests::{
    ADMIN_PASSWORD, TestApp, database_url_for, on_postgres, settings_for, until_ready_is,
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::server_process::ServerProcess;

const WRITERS: usize = 16;

/// What concurrent writers were told.
#[derive(Debug, Default)]
struct Outcome {
    acknowledged: BTreeSet<i64>,
    refused: usize,
}

/// `WRITERS` clients each file `per_writer` tickets as fast as they are answered (or until
/// the server goes away). Every answer must be 201 or 503 with `Retry-After`: never a 500,
/// never anything else.
async fn file_tickets(base: &str, token: &str, per_writer: usize) -> Outcome {
    let client = reqwest::Client::new();
    let tasks = (0..WRITERS).map(|w| {
        let (client, base, token) = (client.clone(), base.to_string(), token.to_string());
        tokio::spawn(async move {
            let mut out = Outcome::default();
            for i in 0..per_writer {
                let r = client
                    .post(format!("{base}/api/v1/tickets/"))
                    .bearer_auth(&token)
                    .json(&json!({"title": format!("writer {w} #{i}"), "description": "x".repeat(2500), "room_number": "1"}))
                    .send()
                    .await;
                let Ok(r) = r else {
                    // The server was killed under this request: it was never acknowledged.
                    break;
                };
                match r.status() {
                    StatusCode::CREATED => {
                        let body: Value = r.json().await.expect("ticket json");
                        out.acknowledged.insert(body["id"].as_i64().expect("id"));
                    }
                    StatusCode::SERVICE_UNAVAILABLE => {
                        assert!(r.headers().contains_key("retry-after"), "503 without Retry-After");
                        out.refused += 1;
                    }
                    other => panic!("a write answered {other}: {}", r.text().await.unwrap_or_default()),
                }
            }
            out
        })
    });
    let mut all = Outcome::default();
    for t in tasks {
        let o = t.await.expect("writer");
        all.acknowledged.extend(o.acknowledged);
        all.refused += o.refused;
    }
    all
}

async fn token(base: &str, username: &str, password: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/token"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.expect("token")["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

/// The ids of the tickets in the database, read on a connection of its own.
async fn stored_tickets(db: &impl ConnectionTrait) -> BTreeSet<i64> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM tickets",
        ))
        .await
        .expect("ticket ids");
    rows.iter()
        .map(|r| r.try_get_by_index::<i64>(0).expect("id"))
        .collect()
}

/// Fails the test unless every acknowledged ticket is visible to another process.
async fn assert_visible_elsewhere(sqlite_file: &str, acknowledged: &BTreeSet<i64>) {
    let other = sea_orm::Database::connect(format!("sqlite://{sqlite_file}?mode=ro"))
        .await
        .expect("a second connection");
    let stored = stored_tickets(&other).await;
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    other.close().await.expect("close");
}

/// Opens the database as an operator would after a crash, and checks that every acknowledged
/// ticket is there and that the statistics counters and the audit chain are intact.
async fn assert_all_stored(database_url: &str, acknowledged: &BTreeSet<i64>) {
    let service = Fixdesk::open(ServiceSettings::new(database_url))
        .await
        .expect("the database opens");
    let stored = stored_tickets(service.database().reader()).await;
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    let counters = service.operator().verify_statistics().await.expect("stats");
    assert!(counters.is_empty(), "statistics differ: {counters:?}");
    let chain = service.operator().verify_audit().await.expect("audit");
    assert!(chain.is_empty(), "audit chain broken: {chain:?}");
    service.database().clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_database_answers_503_never_a_lost_2xx_and_recovers_when_space_returns() {
    if on_postgres() {
        return; // the page cap is SQLite's own
    }
    let dir = tempfile::tempdir().unwrap();
    let settings = settings_for(dir.path());
    let app = TestApp::spawn_with(settings.clone(), dir).await;
    let user = app.user("filler", "user").await;
    // Room that another process can give back later, as an operator deleting old files would.
    app.exec("CREATE TABLE spare (b BLOB)").await;
    app.exec(
        "INSERT INTO spare SELECT randomblob(3000) FROM \
         (WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200) SELECT i FROM s)",
    )
    .await;
    let cap = app
        .count("SELECT page_count FROM pragma_page_count()")
        .await
        + 40;
    let dir = app.stop().await;

    let mut capped = settings.clone();
    capped.sqlite_max_pages = cap as u64;
    capped.rate_limit_per_minute = 1_000_000;
    let app = TestApp::spawn_with(capped, dir).await;
    let full = file_tickets(&app.base, &user.token, 40).await;
    assert!(full.refused > 0, "the cap was reached");
    assert!(!full.acknowledged.is_empty());
    assert_visible_elsewhere(&app.settings.database_url, &full.acknowledged).await;
    app.until_ready_is(StatusCode::SERVICE_UNAVAILABLE).await;

    // Another process frees room inside the file; the server notices by itself.
    let url = app.settings.database_url.clone();
    let other = sea_orm::Database::connect(format!("sqlite://{url}"))
        .await
        .unwrap();
    other.execute_unprepared("DROP TABLE spare").await.unwrap();
    app.until_ready_is(StatusCode::OK).await;
    let after = app.ticket(&user.token, "after space returned").await;
    let mut acknowledged = full.acknowledged;
    acknowledged.insert(after["id"].as_i64().unwrap());
    let stored = other
        .query_one_raw(Statement::from_string(
            other.get_database_backend(),
            "SELECT COUNT(*) FROM tickets",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(
        stored as usize,
        acknowledged.len(),
        "another process sees exactly what was acknowledged"
    );
    other.close().await.unwrap();

    let dir = app.stop().await;
    assert_all_stored(
        &dir.path().join("fixdesk.db").display().to_string(),
        &acknowledged,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_fails_on_the_disk_is_never_acknowledged_and_the_server_recovers() {
    if on_postgres() {
        return; // a file-size limit on the server process does not reach PostgreSQL's files
    }
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("fixdesk.db").display().to_string();
    let server = ServerProcess::start(dir.path(), &url).await;
    let admin = token(&server.base, "admin", ADMIN_PASSWORD).await;

    // The write-ahead log may grow by 256 KiB more, then the disk is "full": the kernel
    // refuses the write (EFBIG), as it would with ENOSPC, and SQLite rolls back by itself.
    let wal = std::fs::metadata(dir.path().join("fixdesk.db-wal")).map_or(0, |m| m.len());
    server.limit_file_size(Some(wal + 256 * 1024)).await;
    let full = file_tickets(&server.base, &admin, 40).await;
    assert!(full.refused > 0, "the limit was reached");
    assert!(!full.acknowledged.is_empty());
    assert_visible_elsewhere(&url, &full.acknowledged).await;
    until_ready_is(&server.base, StatusCode::SERVICE_UNAVAILABLE).await;

    server.limit_file_size(None).await;
    until_ready_is(&server.base, StatusCode::OK).await;
    let more = file_tickets(&server.base, &admin, 2).await;
    assert_eq!(more.refused, 0, "writes work again once there is room");
    let mut acknowledged = full.acknowledged;
    acknowledged.extend(more.acknowledged);

    server.kill().await;
    assert_all_stored(&url, &acknowledged).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_under_write_load_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url_for(dir.path()).await;
    let server = ServerProcess::start(dir.path(), &url).await;
    let admin = token(&server.base, "admin", ADMIN_PASSWORD).await;
    let base = server.base.clone();
    let load = tokio::spawn(async move { file_tickets(&base, &admin, 1_000_000).await });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().await;
    let outcome = load.await.unwrap();
    assert!(
        !outcome.acknowledged.is_empty(),
        "the load ran before the kill"
    );
    assert_all_stored(&url, &outcome.acknowledged).await;

    // And the server starts again on what was left.
    let server = ServerProcess::start(dir.path(), &url).await;
    until_ready_is(&server.base, StatusCode::OK).await;
    server.stop().await;
}

#[tokio::test]
async fn a_database_file_made_read_only_or_deleted_under_the_server_stops_writes() {
    use std::os::unix::fs::PermissionsExt;
    if on_postgres() {
        return; // about the SQLite file
    }
    let app = TestApp::spawn().await;
    let user = app.user("writer", "user").await;
    let file = std::path::PathBuf::from(&app.settings.database_url);
    let set_mode = |mode| std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode));
    let create = || {
        app.call(
            reqwest::Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(json!({"title": "t", "description": "d", "room_number": "1"})),
        )
    };

    set_mode(0o444).unwrap();
    app.until_ready_is(StatusCode::SERVICE_UNAVAILABLE).await;
    let (status, body) = create().await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let list = app
        .status(
            reqwest::Method::GET,
            "/api/v1/tickets/",
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(list, StatusCode::OK, "reads still work");

    set_mode(0o644).unwrap();
    app.until_ready_is(StatusCode::OK).await;
    assert_eq!(create().await.0, StatusCode::CREATED);

    // Deleted (moved away): every write would go to a file nobody will ever open again.
    std::fs::rename(&file, file.with_extension("moved")).unwrap();
    app.until_ready_is(StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(create().await.0, StatusCode::SERVICE_UNAVAILABLE);
    std::fs::rename(file.with_extension("moved"), &file).unwrap();
}
