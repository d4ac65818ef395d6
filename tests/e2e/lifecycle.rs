//! Starting, restarting and stopping, configuration safety, and concurrent writers.

use fixdesk_app::{Application, Environment, Settings};
use fixdesk_tests::{ADMIN_PASSWORD, TestApp, settings_for, status_json};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_generated_signing_secret_is_kept_so_tokens_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_for(dir.path());
    settings.secret_key = None;
    let app = TestApp::spawn_with(settings.clone(), dir).await;
    let token = app.admin_token().await;
    let dir = app.stop().await;
    let app = TestApp::spawn_with(settings, dir).await;
    let r = app
        .req(Method::GET, "/api/v1/users/me/", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username = 'admin'")
            .await,
        1,
        "seeding runs once"
    );
}

#[tokio::test]
async fn production_refuses_to_start_without_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        environment: Environment::Production,
        secret_key: None,
        ..settings_for(dir.path())
    };
    let err = Application::build(&settings)
        .await
        .expect_err("must refuse");
    assert!(err.to_string().contains("secret"), "{err}");
    assert!(
        !dir.path().join("fixdesk.db").exists(),
        "nothing is created before the check"
    );
}

#[tokio::test]
async fn old_style_database_urls_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_for(dir.path());
    settings.database_url = format!(
        "sqlite:///{}",
        dir.path().join("sub/ticket_system.db").display()
    );
    let app = TestApp::spawn_with(settings, dir).await;
    app.admin_token().await;
    let dir = app.stop().await;
    assert!(dir.path().join("sub/ticket_system.db").exists());
}

#[tokio::test]
async fn shutdown_lets_the_server_stop_cleanly() {
    let app = TestApp::spawn().await;
    let base = app.base.clone();
    app.stop().await;
    let after = reqwest::get(format!("{base}/health")).await;
    assert!(after.is_err(), "the port is closed after shutdown");
}

#[tokio::test]
async fn concurrent_writers_on_a_sqlite_file_all_succeed() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let creates = (0..16).map(|i| {
        app.req(Method::POST, "/api/v1/users/", Some(&admin))
            .json(&json!({"username": format!("parallel_{i}"), "password": "parallel-pass"}))
            .send()
    });
    let logins = (0..8).map(|_| {
        app.client
            .post(app.url("/api/v1/auth/token"))
            .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
            .send()
    });
    let (created, logged_in) = tokio::join!(
        futures::future::join_all(creates),
        futures::future::join_all(logins)
    );
    for r in created {
        let (status, body) = status_json(r.unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    for r in logged_in {
        assert_eq!(r.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username LIKE 'parallel_%'")
            .await,
        16
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'CREATE'")
            .await,
        16
    );
}

#[tokio::test]
async fn the_server_says_where_its_data_is_and_never_a_password() {
    use crate::server_process::ServerProcess;
    if fixdesk_tests::on_postgres() {
        let dir = tempfile::tempdir().unwrap();
        let url = fixdesk_tests::database_url_for(dir.path()).await;
        let server = ServerProcess::start(dir.path(), &url).await;
        assert!(
            server.database.starts_with("PostgreSQL database `fixdesk_"),
            "{}",
            server.database
        );
        assert!(
            !server.database.contains("postgres://"),
            "{}",
            server.database
        );
        server.stop().await;
        return;
    }
    // The old service's relative spelling: relative to the working directory.
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path(), "sqlite:///nested/desk.db").await;
    let expected = dir.path().canonicalize().unwrap().join("nested/desk.db");
    assert_eq!(
        server.database,
        format!("SQLite file {}", expected.display())
    );
    server.stop().await;
    assert!(expected.exists());
}
