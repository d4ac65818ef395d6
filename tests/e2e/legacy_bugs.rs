//! Each of the old service's ticket-related bugs (contract §5), with a test that would have
//! failed against it.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::json;

#[tokio::test]
async fn b5_a_bogus_status_is_refused_on_every_write_path_and_reads_keep_working() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    let id = app.ticket(&agent.token, "t").await["id"].as_i64().unwrap();
    for (method, path, body) in [
        (
            Method::PUT,
            format!("/api/v1/tickets/{id}"),
            Some(json!({"status": "bogus"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/async-tickets/async/{id}"),
            Some(json!({"status": "bogus"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/tickets/{id}/status/bogus"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/tickets/{id}"),
            Some(json!({"priority": "urgent"})),
        ),
    ] {
        assert_eq!(
            app.status(method, &path, Some(&agent.token), body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}"
        );
    }
    assert_eq!(
        app.status(Method::GET, "/api/v1/tickets/", Some(&agent.token), None)
            .await,
        StatusCode::OK
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets WHERE status NOT IN (0, 1, 2) OR priority NOT IN (0, 1, 2)").await, 0);
}

#[tokio::test]
async fn b6_nulls_in_required_fields_are_422_and_never_stored() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    let id = app.ticket(&agent.token, "t").await["id"].as_i64().unwrap();
    for field in ["room_number", "title", "description", "priority", "status"] {
        let (status, body) = app
            .call(
                Method::PUT,
                &format!("/api/v1/tickets/{id}"),
                Some(&agent.token),
                Some(json!({ field: null })),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(!body.to_string().to_lowercase().contains("sql"), "{body}");
    }
    let (status, t) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        (status, t["room_number"].clone()),
        (StatusCode::OK, json!("101"))
    );
}

#[tokio::test]
async fn b2_dangling_references_are_refused() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    let id = app.ticket(&agent.token, "t").await["id"].as_i64().unwrap();
    for body in [
        json!({"category_id": 999}),
        json!({"equipment_id": 555}),
        json!({"assigned_to_id": 777}),
    ] {
        assert_eq!(
            app.status(
                Method::PUT,
                &format!("/api/v1/tickets/{id}"),
                Some(&agent.token),
                Some(body.clone())
            )
            .await,
            StatusCode::BAD_REQUEST,
            "{body}"
        );
    }
    // Even behind the service's back the database refuses them.
    let planted = app
        .service
        .database()
        .writer()
        .execute_unprepared(&format!(
            "UPDATE tickets SET category_id = 999 WHERE id = {id}"
        ))
        .await;
    assert!(planted.is_err(), "foreign keys are enforced");
}

#[tokio::test]
async fn s7_users_cannot_touch_resolution_or_edit_closed_tickets() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let id = app.ticket(&u.token, "t").await["id"].as_i64().unwrap();
    assert_eq!(
        app.status(
            Method::PUT,
            &format!("/api/v1/tickets/{id}"),
            Some(&u.token),
            Some(json!({"resolution": "done"}))
        )
        .await,
        StatusCode::FORBIDDEN
    );
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/close"),
        Some(&u.token),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        app.status(
            Method::PUT,
            &format!("/api/v1/tickets/{id}"),
            Some(&u.token),
            Some(json!({"category_id": null, "priority": "high"}))
        )
        .await,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn b11_shadowed_and_slashless_routes_answer() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    assert_eq!(
        app.status(
            Method::GET,
            "/api/v1/tickets/categories",
            Some(&u.token),
            None
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        app.status(Method::GET, "/api/v1/users/me", Some(&u.token), None)
            .await,
        StatusCode::OK
    );
    let r = app
        .req(Method::GET, "/api/v1/tickets", Some(&u.token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TEMPORARY_REDIRECT);
    let r = app
        .req(Method::GET, "/api/v1/equipment/1/", Some(&u.token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TEMPORARY_REDIRECT);
}
