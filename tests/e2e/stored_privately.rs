//! What the desk keeps on disk is its own: the SQLite file and the attachment files are
//! readable by the service's user alone, and an upload into the database that its instance
//! abandoned (killed half-way) is cleared by the next upload once no upload could still be
//! writing it.

use std::os::unix::fs::PermissionsExt;

use fixdesk_tests::{TestApp, on_postgres, settings_for};
use reqwest::{
    Method, StatusCode,
    multipart::{Form, Part},
};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

async fn upload(app: &TestApp, token: &str, ticket: i64) {
    let form = Form::new().part("file", Part::bytes(PNG.to_vec()).file_name("p.png"));
    let r = app
        .req(
            Method::POST,
            &format!("/api/v1/attachments/upload/{ticket}"),
            Some(token),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_database_file_and_attachments_are_the_services_alone() {
    if on_postgres() {
        return; // PostgreSQL keeps its own files, and the files go into it by default
    }
    let app = TestApp::spawn().await;
    let user = app.user("private", "user").await;
    let id = app.ticket(&user.token, "Фото").await["id"]
        .as_i64()
        .unwrap();
    upload(&app, &user.token, id).await;
    let db = std::path::PathBuf::from(&app.settings.database_url);
    assert_eq!(mode(&db), 0o600, "{}", db.display());
    let wal = db.with_extension("db-wal");
    assert_eq!(mode(&wal), 0o600, "SQLite gives its log the file's mode");
    let uploads = app.data_dir().join("attachments").join("uploads");
    assert_eq!(mode(&uploads), 0o700);
    for file in std::fs::read_dir(&uploads).unwrap() {
        assert_eq!(mode(&file.unwrap().path()), 0o600);
    }
}

#[tokio::test]
async fn an_abandoned_upload_in_the_database_is_cleared_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_for(dir.path());
    settings.file_storage = "database".into();
    settings.upload_timeout_secs = 120;
    let app = TestApp::spawn_with(settings, dir).await;
    let user = app.user("abandoner", "user").await;
    let id = app.ticket(&user.token, "Фото").await["id"]
        .as_i64()
        .unwrap();
    let ago = |minutes: i64| {
        (chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    // Killed mid-upload five minutes ago (longer than any upload may take), and one begun a
    // moment ago that may still be under way.
    for (key, at) in [("uploads/killed.png", ago(5)), ("uploads/busy.png", ago(1))] {
        app.exec(&format!(
            "INSERT INTO stored_files (file_key, size, complete, created_at) VALUES ('{key}', 0, false, '{at}')"
        ))
        .await;
        app.exec(&format!(
            "INSERT INTO file_chunks (file_key, seq, data) VALUES ('{key}', 0, {})",
            if on_postgres() {
                "'\\x00'::bytea"
            } else {
                "x'00'"
            }
        ))
        .await;
    }
    upload(&app, &user.token, id).await;
    let left = app
        .sql("SELECT file_key FROM stored_files WHERE NOT complete ORDER BY file_key")
        .await;
    assert_eq!(left, vec![serde_json::json!("uploads/busy.png")]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM file_chunks WHERE file_key = 'uploads/killed.png'")
            .await,
        0
    );
}
