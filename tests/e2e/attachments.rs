//! Attachments: upload, list, download and delete under the ticket's rules, and every kind of
//! abuse (oversize, wrong extension, content that lies about its type, path-traversal names,
//! someone else's ticket) leaving no file and no row behind.

use fixdesk_service::FileStorage;
use fixdesk_tests::{TestApp, TestUser};
use reqwest::{
    Method, StatusCode,
    multipart::{Form, Part},
};
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

async fn upload(
    app: &TestApp,
    u: &TestUser,
    ticket: i64,
    name: &str,
    bytes: Vec<u8>,
    description: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = Form::new();
    if let Some(d) = description {
        form = form.text("description", d.to_string());
    }
    form = form.part("file", Part::bytes(bytes).file_name(name.to_string()));
    let r = app
        .req(
            Method::POST,
            &format!("/api/v1/attachments/upload/{ticket}"),
            Some(&u.token),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    fixdesk_tests::status_json(r).await
}

/// The key of every file in the app's attachment store (complete or not): paths under the
/// attachments directory on SQLite, rows of `stored_files` on PostgreSQL (whose default store
/// is the database).
async fn stored_files(app: &TestApp) -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, out)
            } else {
                out.push(p)
            }
        }
    }
    if fixdesk_tests::on_postgres() {
        let rows = app.sql("SELECT file_key FROM stored_files").await;
        return rows
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect();
    }
    let root = app.data_dir().join("attachments");
    let mut out = Vec::new();
    walk(&root, &mut out);
    out.iter()
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_file_goes_up_and_comes_back_exactly() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = app.ticket(&u.token, "Фото поломки").await["id"]
        .as_i64()
        .unwrap();
    let (status, a) = upload(
        &app,
        &u,
        id,
        "снимок экрана.PNG",
        PNG.to_vec(),
        Some("вот так"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(
        (
            a["ticket_id"].clone(),
            a["filename"].clone(),
            a["file_size"].clone(),
            a["content_type"].clone(),
            a["description"].clone(),
            a["uploaded_by"].clone()
        ),
        (
            json!(id),
            json!("снимок экрана.PNG"),
            json!(PNG.len()),
            json!("image/png"),
            json!("вот так"),
            json!(u.id)
        )
    );
    assert!(
        !a["file_path"].as_str().unwrap().contains("снимок"),
        "stored under a server-chosen name"
    );
    let (_, list) = app
        .call(
            Method::GET,
            &format!("/api/v1/attachments/{id}"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let r = app
        .req(
            Method::GET,
            &format!("/api/v1/attachments/download/{}", a["id"]),
            Some(&agent.token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"")
            && disposition.contains("filename*=UTF-8''%D1%81%D0%BD"),
        "{disposition}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'attachment' AND action_type = 'CREATE'").await, 1);
    // A description sent after the file still lands on it.
    let mut form = Form::new().part("file", Part::bytes(b"notes".to_vec()).file_name("a.txt"));
    form = form.text("description", "после файла");
    let r = app
        .req(
            Method::POST,
            &format!("/api/v1/attachments/upload/{id}"),
            Some(&u.token),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (status, late) = fixdesk_tests::status_json(r).await;
    assert_eq!(
        (status, late["description"].clone()),
        (StatusCode::CREATED, json!("после файла"))
    );
}

#[tokio::test]
async fn abuse_is_refused_and_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let other = app.user("other", "user").await;
    let id = app.ticket(&u.token, "t").await["id"].as_i64().unwrap();
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "big.txt",
            vec![b'a'; 10 * 1024 * 1024 + 1],
            StatusCode::BAD_REQUEST,
            "Размер файла превышает максимально допустимый (10 МБ)",
        ),
        (
            "tool.exe",
            b"MZ\x90\x00".to_vec(),
            StatusCode::BAD_REQUEST,
            "Недопустимый тип файла. Разрешены только: jpg, jpeg, png, gif, heic, heif, webp, pdf, doc, docx, xls, xlsx, txt, zip, rar",
        ),
        (
            "photo.jpg",
            b"<?php system($_GET['c']); ?>".to_vec(),
            StatusCode::BAD_REQUEST,
            "Содержимое файла не соответствует его расширению",
        ),
        (
            "readme.txt",
            b"MZ\x90\x00\x03\x00\x00\x00".to_vec(),
            StatusCode::BAD_REQUEST,
            "Содержимое файла не соответствует его расширению",
        ),
        (
            "../../etc/passwd",
            b"root:x:0:0".to_vec(),
            StatusCode::BAD_REQUEST,
            "Недопустимый тип файла. Разрешены только: jpg, jpeg, png, gif, heic, heif, webp, pdf, doc, docx, xls, xlsx, txt, zip, rar",
        ),
    ];
    for (name, bytes, status, detail) in cases {
        let (s, body) = upload(&app, &u, id, name, bytes, None).await;
        assert_eq!((s, body), (status, json!({"detail": detail})), "{name}");
    }
    let (s, body) = upload(&app, &other, id, "a.txt", b"hi".to_vec(), None).await;
    assert_eq!(
        (s, body),
        (
            StatusCode::FORBIDDEN,
            json!({"detail": "Нет прав для добавления вложений к этой заявке"})
        )
    );
    assert_eq!(
        upload(&app, &u, 999, "a.txt", b"hi".to_vec(), None).await.0,
        StatusCode::NOT_FOUND
    );
    let no_file = app
        .req(
            Method::POST,
            &format!("/api/v1/attachments/upload/{id}"),
            Some(&u.token),
        )
        .multipart(Form::new().text("description", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_file.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
    assert_eq!(
        stored_files(&app).await,
        Vec::<String>::new(),
        "no file, not even a partial one"
    );
    // A traversal name with an allowed extension keeps only its last part.
    let (s, a) = upload(
        &app,
        &u,
        id,
        "..\\..\\windows\\win.txt",
        b"ok".to_vec(),
        None,
    )
    .await;
    assert_eq!(
        (s, a["filename"].clone()),
        (StatusCode::CREATED, json!("win.txt"))
    );
    assert!(stored_files(&app).await[0].starts_with("uploads/"));
}

#[tokio::test]
async fn reading_and_deleting_follow_the_tickets_rules_and_files_go_after_commit() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let other = app.user("other", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = app.ticket(&u.token, "t").await["id"].as_i64().unwrap();
    let (_, mine) = upload(&app, &u, id, "a.txt", b"mine".to_vec(), None).await;
    let (_, staff) = upload(&app, &agent, id, "b.txt", b"staff".to_vec(), None).await;
    assert_eq!(stored_files(&app).await.len(), 2);
    // Someone who cannot see the ticket cannot see its files, or learn they exist.
    assert_eq!(
        app.status(
            Method::GET,
            &format!("/api/v1/attachments/{id}"),
            Some(&other.token),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
    let r = app
        .req(
            Method::GET,
            &format!("/api/v1/attachments/download/{}", mine["id"]),
            Some(&other.token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.client
            .get(app.url(&format!("/api/v1/attachments/download/{}", mine["id"])))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Only the uploader or an admin deletes.
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/attachments/{}", staff["id"]),
            Some(&u.token),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/attachments/{}", mine["id"]),
            Some(&u.token),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(stored_files(&app).await.len(), 1);
    // Deleting the ticket removes the rest.
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/tickets/{id}"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(stored_files(&app).await, Vec::<String>::new());
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
}

/// The head of an iPhone photo (an ISO media file of brand `heic`) and of a WebP image.
const HEIC: &[u8] = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic";
const WEBP: &[u8] = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00";

#[tokio::test]
async fn phone_photos_are_taken_and_pictures_open_in_the_browser_but_nothing_that_could_run() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    let t = app.ticket(&u.token, "Фото с телефона").await["id"]
        .as_i64()
        .unwrap();
    let mut ids = Vec::new();
    for (name, bytes, kind) in [
        ("IMG_0001.HEIC", HEIC, "image/heic"),
        ("screen.webp", WEBP, "image/webp"),
        ("jam.png", PNG, "image/png"),
        (
            "notes.txt",
            b"plain words".as_slice(),
            "text/plain; charset=utf-8",
        ),
    ] {
        let (status, body) = upload(&app, &u, t, name, bytes.to_vec(), None).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
        assert_eq!(body["content_type"], json!(kind), "{name}");
        ids.push(body["id"].as_i64().unwrap());
    }
    // Through the web interface's session, `?inline=1` opens pictures the browser can draw;
    // HEIC (which it cannot) and text still download, and nothing is sniffed.
    let cookie = format!("fixdesk_session={}", u.token);
    for (id, inline) in ids.iter().zip([false, true, true, false]) {
        let r = app
            .client
            .get(app.url(&format!("/ui/attachments/{id}?inline=1")))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let disposition = fixdesk_tests::header(&r, "content-disposition");
        assert_eq!(
            disposition.starts_with("inline;"),
            inline,
            "{id}: {disposition}"
        );
        assert_eq!(
            fixdesk_tests::header(&r, "x-content-type-options"),
            "nosniff"
        );
    }
    // Without `inline` even a picture downloads.
    let r = app
        .client
        .get(app.url(&format!("/ui/attachments/{}", ids[2])))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert!(fixdesk_tests::header(&r, "content-disposition").starts_with("attachment;"));
}

#[tokio::test]
async fn an_operator_moves_the_files_between_disk_and_database_and_they_stay_downloadable() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.file_storage = "local".into();
    let app = TestApp::spawn_with(settings, dir).await;
    let u = app.user("teacher", "user").await;
    let id = app.ticket(&u.token, "t").await["id"].as_i64().unwrap();
    let (_, photo) = upload(&app, &u, id, "photo.png", PNG.to_vec(), None).await;
    let big = "строка акта\n".repeat(60_000).into_bytes(); // several chunks
    let (_, act) = upload(&app, &u, id, "act.txt", big.clone(), None).await;
    let files = [
        (photo["id"].clone(), PNG.to_vec()),
        (act["id"].clone(), big),
    ];
    let mut settings = app.settings.clone();
    let data_dir = app.data_dir();
    let dir = app.stop().await;

    let moved = |to: FileStorage, settings: fixdesk_app::Settings| {
        let data_dir = data_dir.clone();
        async move {
            let service = fixdesk_service::Fixdesk::open(settings.service())
                .await
                .unwrap();
            let report = service.operator().move_files(to, &data_dir).await.unwrap();
            service.database().clone().close().await;
            (report.moved, report.missing)
        }
    };
    let all_download = |app: TestApp| {
        let (files, token) = (files.clone(), u.token.clone());
        async move {
            for (id, bytes) in &files {
                let r = app
                    .req(
                        Method::GET,
                        &format!("/api/v1/attachments/download/{id}"),
                        Some(&token),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK, "attachment {id}");
                assert_eq!(&r.bytes().await.unwrap()[..], &bytes[..], "attachment {id}");
            }
            app
        }
    };

    // Switched to the database before the move: the files on the disk still download.
    settings.file_storage = "database".into();
    let app = all_download(TestApp::spawn_with(settings.clone(), dir).await).await;
    let dir = app.stop().await;

    assert_eq!(moved(FileStorage::Database, settings.clone()).await, (2, 0));
    assert_eq!(
        std::fs::read_dir(data_dir.join("attachments/uploads"))
            .unwrap()
            .count(),
        0,
        "nothing is left on the disk"
    );
    assert_eq!(
        moved(FileStorage::Database, settings.clone()).await,
        (0, 0),
        "a second run finds nothing to do"
    );
    let app = all_download(TestApp::spawn_with(settings.clone(), dir).await).await;
    let chunks = 1 + files[1].1.len().div_ceil(256 * 1024) as i64;
    assert_eq!(app.count("SELECT COUNT(*) FROM file_chunks").await, chunks);
    let dir = app.stop().await;

    // And back.
    assert_eq!(moved(FileStorage::Local, settings.clone()).await, (2, 0));
    settings.file_storage = "local".into();
    let app = all_download(TestApp::spawn_with(settings, dir).await).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM stored_files").await, 0);
}

#[tokio::test]
async fn in_the_database_an_upload_abandoned_half_way_is_cleared_away_by_later_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.file_storage = "database".into();
    let app = TestApp::spawn_with(settings, dir).await;
    let u = app.user("teacher", "user").await;
    let id = app.ticket(&u.token, "t").await["id"].as_i64().unwrap();
    // What an instance killed mid-upload leaves: a file never marked complete. One from a
    // moment ago may still be under way and stays.
    app.exec(
        "INSERT INTO stored_files (file_key, size, complete, created_at) VALUES \
         ('uploads/abandoned.txt', 0, FALSE, '2020-01-01 00:00:00'), \
         ('uploads/under-way.txt', 0, FALSE, CURRENT_TIMESTAMP)",
    )
    .await;
    let (status, _) = upload(&app, &u, id, "a.txt", b"fresh".to_vec(), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let keys: Vec<_> = app
        .sql("SELECT file_key FROM stored_files")
        .await
        .into_iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.contains(&"uploads/under-way.txt".to_string()),
        "{keys:?}"
    );
    assert!(
        !keys.contains(&"uploads/abandoned.txt".to_string()),
        "{keys:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stored_files WHERE complete")
            .await,
        1,
        "the new file is whole"
    );
}
