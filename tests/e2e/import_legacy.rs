//! Importing the old service's database (`tests/fixtures/legacy-ticket-system.db`): counts,
//! rows field by field, the repair report, old passwords, the old frontend's calls, and the
//! safety rules (dry run, non-empty target).

use std::path::PathBuf;

use fixdesk_service::{ImportOptions, ImportReport};
use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn fixture() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/legacy-ticket-system.db");
    assert!(
        path.exists(),
        "the legacy fixture is expected at {}",
        path.display()
    );
    path.display().to_string()
}

async fn import(
    app: &TestApp,
    dry_run: bool,
    uploads: Option<PathBuf>,
) -> Result<ImportReport, fixdesk_service::ServiceError> {
    let options = ImportOptions {
        source: fixture(),
        dry_run,
        uploads,
    };
    app.service
        .operator()
        .import_legacy(&options, &mut |_| {})
        .await
}

fn repaired(report: &ImportReport, table: &str, id: i64) -> Vec<String> {
    report
        .repairs
        .iter()
        .filter(|r| r.table == table && r.id == id)
        .map(|r| format!("{} -> {}", r.problem, r.action))
        .collect()
}

#[tokio::test]
async fn the_old_database_comes_over_whole_and_repaired() {
    let app = TestApp::spawn().await;
    app.admin_token().await; // the seeded admin has signed in: its session must not survive
    let report = import(&app, false, None).await.unwrap();

    for (table, expected) in [
        ("users", 23),
        ("ticket_categories", 7),
        ("tickets", 1015),
        ("ticket_messages", 5),
        ("equipment", 4),
        ("maintenance", 2),
        ("notifications", 2),
        ("attachments", 0),
    ] {
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM {table}")).await,
            expected,
            "{table}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE description LIKE '[импорт #%'")
            .await,
        1361
    );
    assert_eq!(
        report
            .tables
            .iter()
            .find(|t| t.0 == "tickets")
            .map(|t| (t.1, t.2)),
        Some((1015, 1015))
    );

    // Field by field.
    let t = |id: i64, col: &str| format!("SELECT {col} FROM tickets WHERE id = {id}");
    assert_eq!(
        app.sql(&t(1, "title")).await,
        vec![json!("Printer jam 014454ceb8c8")]
    );
    assert_eq!(app.sql(&t(1, "status || ',' || priority || ',' || room_number || ',' || creator_id || ',' || assigned_to_id || ',' || category_id")).await, vec![json!("2,2,101,3,2,1")]);
    assert_eq!(
        app.sql(&t(1, "CAST(created_at AS TEXT)")).await,
        vec![json!("2026-11-22 01:44:56")]
    );
    assert_eq!(app.count(&t(1005, "is_hidden_for_creator")).await, 1);
    assert_eq!(app.sql(&t(1005, "resolution")).await, vec![json!("Готово")]);
    assert_eq!(app.count(&t(1008, "status")).await, 0, "bogus -> new");
    assert_eq!(app.count(&t(1009, "priority")).await, 2, "urgent -> high");
    assert_eq!(
        app.sql(&t(1010, "room_number")).await,
        vec![json!("не указан")]
    );
    assert_eq!(app.count(&t(1011, "length(title)")).await, 100);
    assert_eq!(
        app.sql(&t(1012, "title")).await,
        vec![json!("Без названия")]
    );
    assert_eq!(app.count(&t(1013, "status")).await, 2);
    assert_eq!(
        app.sql(&t(1007, "category_id")).await,
        vec![serde_json::Value::Null]
    );
    assert_eq!(app.count(&t(1014, "assigned_to_id")).await, 20);
    assert_eq!(
        app.sql(&t(1015, "assigned_to_id")).await,
        vec![serde_json::Value::Null]
    );
    assert_eq!(
        app.sql("SELECT full_name FROM users WHERE id = 99").await,
        vec![json!("Удалённый пользователь #99")]
    );
    assert_eq!(
        app.sql("SELECT email FROM users WHERE id IN (18, 19) ORDER BY id")
            .await,
        vec![json!("teacher@school.example"), serde_json::Value::Null]
    );
    assert_eq!(
        app.sql("SELECT role FROM users WHERE id IN (21, 22) ORDER BY id")
            .await,
        vec![json!("user"), json!("user")]
    );
    assert_eq!(
        app.sql("SELECT status FROM equipment WHERE id = 4").await,
        vec![json!("repair")]
    );
    assert_eq!(
        app.sql("SELECT type FROM equipment WHERE id = 1").await,
        vec![json!("printer")]
    );
    assert_eq!(
        app.count("SELECT messages_count FROM tickets WHERE id = 1004")
            .await,
        2
    );

    // The report names every dirty row of the fixture.
    for (table, id) in [
        ("users", 19),
        ("users", 21),
        ("users", 22),
        ("users", 99),
        ("equipment", 4),
        ("maintenance", 4),
        ("tickets", 1006),
        ("tickets", 1007),
        ("tickets", 1008),
        ("tickets", 1009),
        ("tickets", 1010),
        ("tickets", 1011),
        ("tickets", 1012),
        ("tickets", 1013),
        ("tickets", 1014),
        ("tickets", 1015),
        ("ticket_messages", 4),
        ("ticket_messages", 5),
        ("notifications", 3),
        ("attachments", 1),
        ("attachments", 2),
        ("audit_logs", 100001),
        ("audit_logs", 100002),
    ] {
        assert!(
            !repaired(&report, table, id).is_empty(),
            "{table} #{id} is not in the report"
        );
    }
    assert!(
        repaired(&report, "users", 1)
            .iter()
            .any(|r| r.contains("replaced")),
        "the seeded admin's id is taken by the imported admin"
    );
    let csv = report.repairs_csv();
    assert!(
        csv.starts_with("table,id,problem,action\n") && csv.contains("tickets,1008,"),
        "{csv}"
    );

    // The counters and the audit chain check out.
    assert_eq!(
        app.service.operator().verify_statistics().await.unwrap(),
        Vec::new()
    );
    assert_eq!(
        app.service.operator().verify_audit().await.unwrap(),
        Vec::new()
    );
}

#[tokio::test]
async fn old_passwords_work_and_the_old_frontends_calls_see_the_data() {
    let app = TestApp::spawn().await;
    import(&app, false, None).await.unwrap();
    // The old admin password ("admin") is shorter than fixdesk allows today; it still works.
    let admin = app.token("admin", "admin").await;
    let user = app.token("bench_user1", "benchpass123").await;
    let hash = app
        .sql("SELECT hashed_password FROM users WHERE username = 'bench_user1'")
        .await;
    assert!(
        hash[0].as_str().unwrap().starts_with("$argon2id$"),
        "re-hashed at sign-in"
    );
    assert_eq!(
        app.login("former_agent", "benchpass123").await.status(),
        StatusCode::BAD_REQUEST,
        "inactive stays inactive"
    );

    let r = app
        .req(Method::GET, "/api/v1/tickets/?_nocache=1", Some(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-total-count"], "1015");
    let (_, me) = app
        .call(Method::GET, "/api/v1/users/me/", Some(&user), None)
        .await;
    assert_eq!(me["username"], "bench_user1");
    let (_, mine) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&user), None)
        .await;
    assert!(!mine.as_array().unwrap().is_empty());
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|t| t["creator_id"] == me["id"])
    );
    let (_, basic) = app
        .call(Method::GET, "/api/v1/users/basic", Some(&user), None)
        .await;
    assert_eq!(
        basic.as_array().unwrap().len(),
        22,
        "every live user; the placeholder is deleted"
    );
    let (_, cats) = app
        .call(
            Method::GET,
            "/api/v1/categories/?show_all=false",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(cats.as_array().unwrap().len(), 7);
    let (_, eq) = app
        .call(Method::GET, "/api/v1/equipment/", Some(&user), None)
        .await;
    assert_eq!(eq.as_array().unwrap().len(), 4);
    let (_, summary) = app
        .call(
            Method::GET,
            "/api/v1/statistics/tickets-summary",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(summary["total"], 1015);
    let (_, thread) = app
        .call(
            Method::GET,
            "/api/v1/tickets/1004/messages",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(thread.as_array().unwrap().len(), 2);
    // New rows continue after the highest imported id.
    let next = app.ticket(&user, "После импорта").await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(next, 1016);
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_a_full_database_is_refused() {
    let app = TestApp::spawn().await;
    let dry = import(&app, true, None).await.unwrap();
    assert!(dry.dry_run && !dry.repairs.is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    app.token("admin", fixdesk_tests::ADMIN_PASSWORD).await;
    import(&app, false, None).await.unwrap();
    let again = import(&app, false, None).await;
    assert!(
        matches!(
            again,
            Err(fixdesk_service::ServiceError::Domain(
                fixdesk_service::domain::DomainError::ImportTargetNotEmpty
            ))
        ),
        "{again:?}"
    );
}

#[tokio::test]
async fn attachment_files_come_along_from_the_uploads_directory() {
    let app = TestApp::spawn().await;
    let uploads = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(uploads.path().join("1004")).unwrap();
    let jpeg = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], &[0u8; 64]].concat();
    std::fs::write(
        uploads
            .path()
            .join("1004/3f1c0c1e-1111-4a6e-9a59-000000000001.jpg"),
        &jpeg,
    )
    .unwrap();
    std::fs::write(
        uploads
            .path()
            .join("1004/3f1c0c1e-1111-4a6e-9a59-000000000002.txt"),
        b"root:x:0:0",
    )
    .unwrap();
    let report = import(&app, false, Some(uploads.path().to_path_buf()))
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 1);
    assert!(
        repaired(&report, "attachments", 2)[0].contains("passwd"),
        "the unsafe name is refused"
    );
    let admin = app.token("admin", "admin").await;
    let r = app
        .req(Method::GET, "/api/v1/attachments/download/1", Some(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &jpeg[..]);
}

#[tokio::test]
async fn imported_equipment_finds_its_category_by_name_and_the_rest_is_reported() {
    let app = TestApp::spawn().await;
    let report = import(&app, false, None).await.unwrap();
    // The fixture's types (printer, projector, computer) name none of its categories.
    let unmapped: Vec<&str> = report
        .repairs
        .iter()
        .filter(|r| r.table == "equipment" && r.problem.contains("names no category"))
        .map(|r| r.problem.as_str())
        .collect();
    for kind in ["printer", "projector", "computer"] {
        assert!(
            unmapped.iter().any(|p| p.contains(&format!("\"{kind}\""))),
            "{kind} reported: {unmapped:?}"
        );
    }
    let admin = app.token("admin", "admin").await;
    let (_, all) = app
        .call(Method::GET, "/api/v1/equipment/", Some(&admin), None)
        .await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|e| e["category_id"].is_null())
    );
    // A category named like a type (any case) takes its items; a rename keeps them.
    let (status, printers) = app
        .call(
            Method::POST,
            "/api/v1/categories/",
            Some(&admin),
            Some(json!({"name": "PRINTER"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{printers}");
    let id = printers["id"].as_i64().unwrap();
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/categories/{id}"),
            Some(&admin),
            Some(json!({"name": "Печать"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, items) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/?category_id={id}"),
            Some(&admin),
            None,
        )
        .await;
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["type"], "Печать");
}
