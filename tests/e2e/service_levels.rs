//! Service levels end to end: calendars and policies through the API, the clocks on tickets,
//! the sweep warning and escalating through the job queue (with the service's clock moved
//! forward instead of sleeping), waiting on the requester, and internal notes kept from the
//! requester on every path.

use chrono::Duration;
use fixdesk_tests::{TestApp, TestUser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn ticket_as(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn notices(app: &TestApp, user: &TestUser, ticket: i64) -> Vec<String> {
    app.sql(&format!(
        "SELECT notification_type FROM notifications WHERE user_id = {} AND related_id = {ticket} \
         AND notification_type LIKE 'sla_%' ORDER BY id",
        user.id
    ))
    .await
    .into_iter()
    .map(|v| v.as_str().unwrap_or_default().to_string())
    .collect()
}

#[tokio::test]
async fn a_ticket_is_warned_then_escalated_by_the_queue_exactly_once() {
    let app = TestApp::spawn().await;
    let agent = app.user("sla_agent", "agent").await;
    let backup = app.user("sla_backup", "agent").await;
    let user = app.user("sla_user", "user").await;
    app.round_the_clock_policy(json!({
        "first_response_minutes": 60,
        "resolution_minutes": 120,
        "escalate_raise_priority": true,
        "escalate_to_id": backup.id,
    }))
    .await;
    let t = app.ticket(&user.token, "Проектор мигает").await;
    let id = t["id"].as_i64().unwrap();
    assert!(t["sla"].is_null(), "the requester sees no clocks: {t}");

    let seen = ticket_as(&app, &agent.token, id).await;
    let sla = &seen["sla"];
    assert_eq!(sla["first_response"]["target_minutes"], 60);
    assert_eq!(sla["resolution"]["target_minutes"], 120);
    assert_eq!(sla["resolution"]["breached"], false);
    assert!(sla["resolution"]["remaining_minutes"].as_i64().unwrap() > 110);

    // 100 minutes on: first response broken, resolution 83 % used.
    app.service.advance_clock(Duration::minutes(100));
    app.sla_sweep().await;
    assert_eq!(
        notices(&app, &agent, id).await,
        vec!["sla_warning", "sla_warning"],
        "unassigned: both warnings go to the staff"
    );
    let admin_id = 1;
    let admin_notices: Vec<Value> = app
        .sql(&format!(
            "SELECT notification_type FROM notifications WHERE user_id = {admin_id} \
             AND related_id = {id} AND notification_type = 'sla_breached'"
        ))
        .await;
    assert_eq!(admin_notices.len(), 1, "the breach goes to the admins");
    let seen = ticket_as(&app, &agent.token, id).await;
    assert_eq!(seen["sla"]["first_response"]["breached"], true);
    assert_eq!(seen["sla"]["resolution"]["breached"], false);
    assert!(seen["sla"]["resolution"]["used_percent"].as_i64().unwrap() >= 80);

    // A second sweep at the same moment sends nothing again.
    let before = app
        .count("SELECT COUNT(*) FROM notifications WHERE notification_type LIKE 'sla_%'")
        .await;
    app.sla_sweep().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE notification_type LIKE 'sla_%'")
            .await,
        before
    );

    // Past the resolution target: escalated as the policy says.
    app.service.advance_clock(Duration::minutes(30));
    app.sla_sweep().await;
    let seen = ticket_as(&app, &agent.token, id).await;
    assert_eq!(seen["priority"], "high", "{seen}");
    assert_eq!(seen["assigned_to_id"], backup.id);
    assert_eq!(seen["sla"]["resolution"]["breached"], true);
    assert!(
        seen["sla"]["resolution"]["remaining_minutes"]
            .as_i64()
            .unwrap()
            < 0
    );
    assert_eq!(
        notices(&app, &backup, id).await,
        vec!["sla_warning", "sla_warning", "sla_breached"]
    );
    let escalated = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket' AND entity_id = {id} \
             AND new_values LIKE '%resolution_breached%' AND new_values LIKE '%high%'"
        ))
        .await;
    assert_eq!(escalated, 1, "the escalation is in the audit log");

    // The timeline tells the story: filed, the sweep's events (by nobody), the escalation.
    let (status, story) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/timeline"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{story}");
    let events: Vec<(String, String)> = story
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let kind = e["kind"].as_str().unwrap().to_string();
            let detail = e["to"]
                .as_str()
                .or(e["text"].as_str())
                .unwrap_or_default()
                .to_string();
            (kind, detail)
        })
        .collect();
    assert_eq!(events[0].0, "filed");
    let sla: Vec<&str> = events
        .iter()
        .filter(|(k, _)| k == "sla")
        .map(|(_, d)| d.as_str())
        .collect();
    assert_eq!(
        sla,
        [
            "first_response_warning",
            "first_response_breached",
            "resolution_warning",
            "resolution_breached"
        ]
    );
    assert!(
        events.contains(&("priority".into(), "high".into())),
        "{events:?}"
    );
    assert!(
        events.contains(&("assignee".into(), backup.id.to_string())),
        "{events:?}"
    );
    let (_, seen_by_user) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/timeline"),
            Some(&user.token),
            None,
        )
        .await;
    assert!(
        seen_by_user
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] != "sla"),
        "{seen_by_user}"
    );
}

#[tokio::test]
async fn waiting_on_the_requester_pauses_the_clocks_until_they_answer() {
    let app = TestApp::spawn().await;
    let agent = app.user("wait_agent", "agent").await;
    let user = app.user("wait_user", "user").await;
    let policy = app
        .round_the_clock_policy(json!({"first_response_minutes": 30, "resolution_minutes": 240}))
        .await;
    let id = app.ticket(&user.token, "Принтер жуёт бумагу").await["id"]
        .as_i64()
        .unwrap();
    let due = ticket_as(&app, &agent.token, id).await["sla"]["resolution"]["due_at"].clone();

    // The requester may not set the flag; staff may.
    let path = format!("/api/v1/tickets/{id}");
    let (status, _) = app
        .call(
            Method::PUT,
            &path,
            Some(&user.token),
            Some(json!({"waiting_on_requester": true})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(&agent.token),
            Some(json!({"waiting_on_requester": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["waiting_on_requester"], true);
    assert_eq!(body["sla"]["paused"], true);

    // An hour passes while paused; the requester's answer ends the wait and moves the due
    // time by that hour.
    app.service.advance_clock(Duration::minutes(60));
    let (status, _) = app
        .call(
            Method::POST,
            &format!("{path}/messages"),
            Some(&user.token),
            Some(json!({"message": "Бумага A4, 80 г"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let seen = ticket_as(&app, &agent.token, id).await;
    assert_eq!(seen["waiting_on_requester"], false);
    assert_eq!(seen["sla"]["paused"], false);
    let moved = |iso: &Value| {
        chrono::NaiveDateTime::parse_from_str(iso.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S").unwrap()
    };
    let shift = moved(&seen["sla"]["resolution"]["due_at"]) - moved(&due);
    assert!(
        (Duration::minutes(59)..=Duration::minutes(61)).contains(&shift),
        "moved by {shift}"
    );
    assert!(seen["sla"]["first_response"]["stopped_at"].is_null());

    // The first staff answer stops the first-response clock.
    let (status, _) = app
        .call(
            Method::POST,
            &format!("{path}/messages"),
            Some(&agent.token),
            Some(json!({"message": "Заменим ролик"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let seen = ticket_as(&app, &agent.token, id).await;
    assert!(
        seen["sla"]["first_response"]["stopped_at"].is_string(),
        "{seen}"
    );

    // The admin gives the policy another hour: the open ticket's due time follows (counted
    // again in the background).
    let admin = app.admin_token().await;
    let before = moved(&seen["sla"]["resolution"]["due_at"]);
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/sla/policies/{}", policy["id"]),
            Some(&admin),
            Some(json!({"name": "Standard", "calendar_id": policy["calendar_id"], "first_response_minutes": 30, "resolution_minutes": 300})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.jobs_settled().await;
    let seen = ticket_as(&app, &agent.token, id).await;
    assert_eq!(seen["sla"]["resolution"]["target_minutes"], 300);
    assert_eq!(
        moved(&seen["sla"]["resolution"]["due_at"]) - before,
        Duration::minutes(60)
    );
}

#[tokio::test]
async fn internal_notes_never_reach_the_requester() {
    let app = TestApp::spawn().await;
    let agent = app.user("note_agent", "agent").await;
    let user = app.user("note_user", "user").await;
    let id = app.ticket(&user.token, "Сканер не видит сеть").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/tickets/{id}");
    // The agent takes the ticket (so notes have an assignee), then notes and answers.
    assert_eq!(
        app.status(
            Method::POST,
            &format!("{path}/assign"),
            Some(&agent.token),
            None
        )
        .await,
        StatusCode::OK
    );
    let before = app
        .count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE user_id = {}",
            user.id
        ))
        .await;
    let (status, note) = app
        .call(
            Method::POST,
            &format!("{path}/messages"),
            Some(&agent.token),
            Some(json!({"message": "Похоже, сгорел порт коммутатора", "internal": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["internal"], true);
    let (status, _) = app
        .call(
            Method::POST,
            &format!("{path}/messages"),
            Some(&agent.token),
            Some(json!({"message": "Посмотрим сегодня"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Thread, count, ticket: the requester sees one message.
    let (_, thread) = app
        .call(
            Method::GET,
            &format!("{path}/messages"),
            Some(&user.token),
            None,
        )
        .await;
    let texts: Vec<&str> = thread
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["Посмотрим сегодня"]);
    let (_, count) = app
        .call(
            Method::GET,
            &format!("{path}/messages/count"),
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(count["count"], 1);
    assert_eq!(ticket_as(&app, &user.token, id).await["messages_count"], 1);
    let (_, list) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&user.token), None)
        .await;
    assert_eq!(list[0]["messages_count"], 1);
    // Staff see both, the note marked.
    let (_, staff_thread) = app
        .call(
            Method::GET,
            &format!("{path}/messages"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(staff_thread.as_array().unwrap().len(), 2);
    assert_eq!(staff_thread[0]["internal"], true);
    assert_eq!(ticket_as(&app, &agent.token, id).await["messages_count"], 2);
    // Notifications: only the answer reached the requester, none mention the note.
    let notes_to_user = app
        .sql(&format!(
            "SELECT message FROM notifications WHERE user_id = {} ORDER BY id",
            user.id
        ))
        .await;
    assert_eq!(notes_to_user.len() as i64, before + 1);
    assert!(
        notes_to_user
            .iter()
            .all(|m| !m.as_str().unwrap_or_default().contains("коммутатора"))
    );
    // Nor in the timeline.
    let (_, story) = app
        .call(
            Method::GET,
            &format!("{path}/timeline"),
            Some(&user.token),
            None,
        )
        .await;
    let kinds: Vec<&str> = story
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"message") && !kinds.contains(&"note"),
        "{kinds:?}"
    );
    let (_, story) = app
        .call(
            Method::GET,
            &format!("{path}/timeline"),
            Some(&agent.token),
            None,
        )
        .await;
    assert!(
        story
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "note")
    );
    // A requester cannot write one.
    let (status, _) = app
        .call(
            Method::POST,
            &format!("{path}/messages"),
            Some(&user.token),
            Some(json!({"message": "секрет", "internal": true})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nor in the answer to any change the requester makes (closing, here).
    let (status, closed) = app
        .call(
            Method::POST,
            &format!("{path}/close"),
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["messages_count"], 1);
    assert!(closed["sla"].is_null());
}

#[tokio::test]
async fn calendars_and_policies_are_checked_and_kept_by_admins() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("cal_agent", "agent").await;
    let bad = json!({"name": "X", "time_zone": "Mars/Olympus", "working_hours": ["25:00-18:00"]});
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/sla/calendars/",
            Some(&admin),
            Some(bad),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["loc"][1].as_str().unwrap_or_default())
        .collect();
    assert!(
        fields.contains(&"time_zone") && fields.contains(&"working_hours"),
        "{body}"
    );

    let good = json!({
        "name": "Office",
        "time_zone": "Europe/Moscow",
        "working_hours": ["09:00-18:00", "09:00-18:00", "09:00-18:00", "09:00-18:00", "09:00-17:00", null, null],
        "holidays": ["01-01", "2026-12-31"],
    });
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/sla/calendars/",
            Some(&agent.token),
            Some(good.clone())
        )
        .await,
        StatusCode::FORBIDDEN
    );
    let (status, cal) = app
        .call(
            Method::POST,
            "/api/v1/sla/calendars/",
            Some(&admin),
            Some(good.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{cal}");
    assert_eq!(cal["working_hours"][5], Value::Null);
    assert_eq!(cal["holidays"], json!(["01-01", "2026-12-31"]));
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/sla/calendars/",
            Some(&admin),
            Some(good),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a taken name");

    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/sla/policies/",
            Some(&admin),
            Some(json!({"name": "P", "calendar_id": 999, "first_response_minutes": 10, "resolution_minutes": 60})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/sla/policies/",
            Some(&admin),
            Some(json!({"name": "P", "calendar_id": cal["id"], "first_response_minutes": 90, "resolution_minutes": 60})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, p) = app
        .call(
            Method::POST,
            "/api/v1/sla/policies/",
            Some(&admin),
            Some(json!({"name": "High", "priority": "high", "calendar_id": cal["id"], "first_response_minutes": 30, "resolution_minutes": 240})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["priority"], "high");
    let (status, policies) = app
        .call(
            Method::GET,
            "/api/v1/sla/policies/",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        (status, policies.as_array().unwrap().len()),
        (StatusCode::OK, 1)
    );

    let cal_path = format!("/api/v1/sla/calendars/{}", cal["id"]);
    assert_eq!(
        app.status(Method::DELETE, &cal_path, Some(&admin), None)
            .await,
        StatusCode::CONFLICT,
        "a calendar in use stays"
    );
    let policy_path = format!("/api/v1/sla/policies/{}", p["id"]);
    assert_eq!(
        app.status(Method::DELETE, &policy_path, Some(&admin), None)
            .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.status(Method::DELETE, &cal_path, Some(&admin), None)
            .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type IN ('sla_calendar', 'sla_policy')"
        )
        .await,
        4
    );
}

#[tokio::test]
async fn compliance_and_times_come_from_counters_kept_by_every_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("st_agent", "agent").await;
    let user = app.user("st_user", "user").await;
    app.round_the_clock_policy(json!({"first_response_minutes": 60, "resolution_minutes": 120}))
        .await;
    let answer = |id: i64| {
        let token = agent.token.clone();
        let app = &app;
        async move {
            let (status, _) = app
                .call(
                    Method::POST,
                    &format!("/api/v1/tickets/{id}/messages"),
                    Some(&token),
                    Some(json!({"message": "Смотрю"})),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED);
        }
    };
    let close = |id: i64| {
        let token = agent.token.clone();
        let app = &app;
        async move {
            let (status, body) = app
                .call(
                    Method::POST,
                    &format!("/api/v1/tickets/{id}/close"),
                    Some(&token),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    };
    // In time: answered after 10 minutes, closed after 90.
    let quick = app.ticket(&user.token, "Быстрая").await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.status(
            Method::POST,
            &format!("/api/v1/tickets/{quick}/assign"),
            Some(&agent.token),
            None
        )
        .await,
        StatusCode::OK
    );
    app.service.advance_clock(Duration::minutes(10));
    answer(quick).await;
    app.service.advance_clock(Duration::minutes(80));
    close(quick).await;
    // Late: answered after 90 minutes, closed after 130.
    let slow = app.ticket(&user.token, "Медленная").await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.status(
            Method::POST,
            &format!("/api/v1/tickets/{slow}/assign"),
            Some(&agent.token),
            None
        )
        .await,
        StatusCode::OK
    );
    app.service.advance_clock(Duration::minutes(90));
    answer(slow).await;
    app.service.advance_clock(Duration::minutes(40));
    close(slow).await;

    let (status, s) = app
        .call(
            Method::GET,
            "/api/v1/statistics/service-levels?days=7",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(
        (
            &s["first_response"]["stopped"],
            &s["first_response"]["met"],
            &s["first_response"]["compliance_percent"]
        ),
        (&json!(2), &json!(1), &json!(50.0))
    );
    assert_eq!(s["first_response"]["median_minutes"], 15);
    assert_eq!(s["first_response"]["p90_minutes"], 120);
    assert_eq!(
        (&s["resolution"]["stopped"], &s["resolution"]["met"]),
        (&json!(2), &json!(1))
    );
    assert_eq!(s["resolution"]["median_minutes"], 120);
    assert_eq!(s["resolution"]["p90_minutes"], 240);
    assert_eq!(s["by_agent"][0]["id"], agent.id);
    assert_eq!(s["by_agent"][0]["name"], "st_agent full");
    assert_eq!(s["by_agent"][0]["resolution"]["stopped"], 2);
    assert_eq!(s["by_category"][0]["id"], Value::Null, "no category");
    // Reopening takes the closing back out of the counters.
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/tickets/{slow}/status/in_progress"),
            Some(&agent.token),
            None,
        )
        .await;
    assert!(status.is_success());
    let (_, s) = app
        .call(
            Method::GET,
            "/api/v1/statistics/service-levels",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s["resolution"]["stopped"], 1);
    // The counters are what the tickets say.
    let differences = app.service.operator().verify_statistics().await.unwrap();
    assert!(differences.is_empty(), "{differences:?}");
    assert_eq!(
        app.status(
            Method::GET,
            "/api/v1/statistics/service-levels",
            Some(&agent.token),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
}
