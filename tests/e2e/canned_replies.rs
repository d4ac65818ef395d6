//! Canned replies: the desk's shared ones (kept by admins) and each agent's own, filled in for
//! a ticket; requesters never see them.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn replies_are_shared_or_personal_and_filled_in_for_a_ticket() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("cr_agent", "agent").await;
    let other = app.user("cr_other", "agent").await;
    let user = app.user("cr_user", "user").await;
    app.category("Принтеры").await;
    let printer = app.equipment("HP LaserJet 400", "Принтеры").await;
    let (status, t) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(json!({"title": "Замятие", "description": "—", "room_number": "5", "equipment_id": printer})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = t["id"].as_i64().unwrap();

    let shared = json!({"title": "Принято", "body": "{requester}, заявка #{ticket} ({equipment}) принята. {agent}", "shared": true});
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/canned-replies/",
            Some(&agent.token),
            Some(shared.clone())
        )
        .await,
        StatusCode::FORBIDDEN,
        "shared replies are the admins'"
    );
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/canned-replies/",
            Some(&admin),
            Some(shared)
        )
        .await,
        StatusCode::CREATED
    );
    let (status, own) = app
        .call(
            Method::POST,
            "/api/v1/canned-replies/",
            Some(&agent.token),
            Some(json!({"title": "Мой", "body": "Зайду сегодня, {requester}"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/canned-replies/",
            Some(&agent.token),
            Some(json!({"title": "", "body": ""}))
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let (status, list) = app
        .call(
            Method::GET,
            &format!("/api/v1/canned-replies/?ticket_id={id}"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let rendered: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rendered"].as_str().unwrap())
        .collect();
    assert_eq!(
        rendered,
        [
            "cr_user full, заявка #1 (HP LaserJet 400) принята. cr_agent full"
                .replace("#1", &format!("#{id}")),
            "Зайду сегодня, cr_user full".to_string()
        ]
    );
    // Another agent sees only the shared one, and cannot touch the first agent's.
    let (_, theirs) = app
        .call(
            Method::GET,
            "/api/v1/canned-replies/",
            Some(&other.token),
            None,
        )
        .await;
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert!(theirs[0]["rendered"].is_null());
    let own_path = format!("/api/v1/canned-replies/{}", own["id"]);
    assert_eq!(
        app.status(Method::DELETE, &own_path, Some(&other.token), None)
            .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.status(
            Method::GET,
            "/api/v1/canned-replies/",
            Some(&user.token),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
    let (status, changed) = app
        .call(
            Method::PUT,
            &own_path,
            Some(&agent.token),
            Some(json!({"title": "Мой", "body": "Буду в {ticket}"})),
        )
        .await;
    assert_eq!(
        (status, changed["body"].as_str()),
        (StatusCode::OK, Some("Буду в {ticket}"))
    );
    assert_eq!(
        app.status(Method::DELETE, &own_path, Some(&agent.token), None)
            .await,
        StatusCode::NO_CONTENT
    );
}
