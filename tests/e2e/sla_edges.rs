//! Service levels at their edges: an escalation whose hand-over target left, an escalation
//! that hands a new ticket over (it goes into work, as any assignment), a closed ticket's
//! clocks (stopped, with when), a calendar without working hours.

use chrono::Duration;
use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn timeline(app: &TestApp, token: &str, id: i64) -> Vec<(String, String)> {
    let (status, story) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/timeline"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{story}");
    story
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let kind = e["kind"].as_str().unwrap().to_string();
            let detail = e["to"].as_str().or(e["text"].as_str()).unwrap_or_default();
            (kind, detail.to_string())
        })
        .collect()
}

async fn ticket(app: &TestApp, token: &str, id: i64) -> Value {
    app.call(
        Method::GET,
        &format!("/api/v1/tickets/{id}"),
        Some(token),
        None,
    )
    .await
    .1
}

#[tokio::test]
async fn an_escalation_to_someone_who_left_raises_once_and_says_why_it_did_not_hand_over() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let gone = app.user("esc_gone", "agent").await;
    let user = app.user("esc_user", "user").await;
    app.round_the_clock_policy(json!({
        "first_response_minutes": 30,
        "resolution_minutes": 60,
        "escalate_raise_priority": true,
        "escalate_to_id": gone.id,
    }))
    .await;
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/users/{}", gone.id),
            Some(&admin),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = app.ticket(&user.token, "Сервер").await["id"]
        .as_i64()
        .unwrap();
    // Every event at once (the sweep ran late): warnings and both breaches in one go.
    app.service.advance_clock(Duration::minutes(90));
    app.sla_sweep().await;
    let seen = ticket(&app, &admin, id).await;
    assert_eq!(seen["priority"], "high");
    assert!(seen["assigned_to_id"].is_null(), "{seen}");
    let story = timeline(&app, &admin, id).await;
    let raises = story.iter().filter(|(k, _)| k == "priority").count();
    assert_eq!(raises, 1, "one step, one raise: {story:?}");
    assert!(
        story.contains(&("sla".into(), "hand_over_skipped".into())),
        "{story:?}"
    );
}

#[tokio::test]
async fn an_escalation_hands_a_new_ticket_into_work() {
    let app = TestApp::spawn().await;
    let backup = app.user("esc_backup", "agent").await;
    let user = app.user("esc_user2", "user").await;
    app.round_the_clock_policy(json!({
        "first_response_minutes": 30,
        "resolution_minutes": 60,
        "escalate_to_id": backup.id,
    }))
    .await;
    let id = app.ticket(&user.token, "Сеть").await["id"]
        .as_i64()
        .unwrap();
    app.service.advance_clock(Duration::minutes(61));
    app.sla_sweep().await;
    let seen = ticket(&app, &backup.token, id).await;
    assert_eq!(seen["assigned_to_id"], backup.id);
    assert_eq!(seen["status"], "in_progress", "{seen}");
}

#[tokio::test]
async fn a_closed_tickets_clocks_are_stopped_with_the_time_they_stopped() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let user = app.user("stop_user", "user").await;
    app.round_the_clock_policy(json!({"first_response_minutes": 30, "resolution_minutes": 240}))
        .await;
    let id = app.ticket(&user.token, "Мышь").await["id"]
        .as_i64()
        .unwrap();
    app.service.advance_clock(Duration::minutes(20));
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/close"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.service.advance_clock(Duration::minutes(600));
    let seen = ticket(&app, &admin, id).await;
    let sla = &seen["sla"];
    assert_eq!(sla["paused"], false, "stopped, not paused: {sla}");
    assert!(sla["resolution"]["stopped_at"].is_string(), "{sla}");
    assert_eq!(
        sla["resolution"]["breached"], false,
        "closed in time, long ago"
    );
    assert_eq!(
        sla["first_response"]["stopped_at"], sla["resolution"]["stopped_at"],
        "closing answered it"
    );
}

#[tokio::test]
async fn a_calendar_without_working_hours_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/sla/calendars/",
            Some(&admin),
            Some(json!({
                "name": "Never",
                "time_zone": "UTC",
                "working_hours": [null, null, null, null, null, null, null],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("at least one day"), "{body}");
}
