//! The audit log API, denial auditing and the tamper-evident chain.

use fixdesk_service::domain::ChainProblem;
use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn audit(app: &TestApp, token: &str, query: &str) -> (String, Value) {
    let r = app
        .req(
            Method::GET,
            &format!("/api/v1/audit-logs/{query}"),
            Some(token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{query}");
    let total = r
        .headers()
        .get("x-total-count")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    (total, r.json().await.unwrap())
}

#[tokio::test]
async fn admins_read_and_filter_the_log() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = app.ticket(&u.token, "Сломан стул").await["id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/assign"),
        Some(&agent.token),
        Some(json!({})),
    )
    .await;

    let (all_total, all) = audit(&app, &admin, "").await;
    assert_eq!(
        all_total.parse::<i64>().unwrap(),
        app.count("SELECT COUNT(*) FROM audit_logs").await
    );
    let first = &all[0];
    assert_eq!(first["action_type"], "UPDATE", "newest first");
    assert_eq!(
        first["user"],
        json!({"id": agent.id, "username": "agent", "full_name": "agent full", "role": "agent"})
    );
    assert_eq!(first["old_values"]["status"], "new");
    assert_eq!(first["new_values"]["status"], "in_progress");

    let (total, created) = audit(
        &app,
        &admin,
        &format!("?action_type=CREATE&entity_type=ticket&entity_id={id}"),
    )
    .await;
    assert_eq!(
        (total.as_str(), created[0]["description"].clone()),
        ("1", json!("Создана новая заявка: Сломан стул"))
    );
    let (_, by_user) = audit(&app, &admin, &format!("?user_id={}", u.id)).await;
    assert!(
        by_user
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["user"]["id"] == u.id)
    );
    let (_, agents) = audit(&app, &admin, "?role=agent").await;
    assert!(
        agents
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["user"]["role"] == "agent")
            && !agents.as_array().unwrap().is_empty()
    );
    let (total_any, _) = audit(&app, &admin, "?user_id=0").await;
    assert_eq!(total_any, all_total, "user_id=0 means anyone");
    let today = chrono::Utc::now().date_naive().to_string();
    let (in_today, _) = audit(&app, &admin, &format!("?from_date={today}&to_date={today}")).await;
    assert!(
        in_today.parse::<i64>().unwrap() > 0,
        "a date-only upper bound includes that day"
    );
    let (none, _) = audit(&app, &admin, "?to_date=2000-01-01").await;
    assert_eq!(none, "0");
    let (_, page) = audit(&app, &admin, "?skip=1&limit=2").await;
    assert_eq!(page.as_array().unwrap().len(), 2);
    assert_eq!(
        app.status(
            Method::GET,
            "/api/v1/audit-logs/?from_date=bad",
            Some(&admin),
            None
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let record_id = first["id"].as_i64().unwrap();
    let (status, one) = app
        .call(
            Method::GET,
            &format!("/api/v1/audit-logs/{record_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (status, one["id"].clone()),
        (StatusCode::OK, json!(record_id))
    );
    assert_eq!(
        app.status(Method::GET, "/api/v1/audit-logs/999999", Some(&admin), None)
            .await,
        StatusCode::NOT_FOUND
    );
    let (_, types) = app
        .call(
            Method::GET,
            "/api/v1/audit-logs/action-types",
            Some(&admin),
            None,
        )
        .await;
    for t in [
        "CREATE",
        "UPDATE",
        "DELETE",
        "LOGIN",
        "LOGOUT",
        "LOGIN_FAILED",
        "ACCESS_DENIED",
    ] {
        assert!(types.as_array().unwrap().contains(&json!(t)), "{t}");
    }
}

#[tokio::test]
async fn non_admins_are_refused_in_the_logs_own_words_and_the_refusal_is_recorded() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    for path in [
        "/api/v1/audit-logs/",
        "/api/v1/audit-logs/action-types",
        "/api/v1/audit-logs/1",
    ] {
        let (status, body) = app.call(Method::GET, path, Some(&agent.token), None).await;
        assert_eq!(
            (status, body),
            (
                StatusCode::FORBIDDEN,
                json!({"detail": "Доступ разрешен только администраторам"})
            ),
            "{path}"
        );
    }
    assert_eq!(
        app.status(Method::GET, "/api/v1/audit-logs/", None, None)
            .await,
        StatusCode::UNAUTHORIZED
    );
    // A refusal from a use case is recorded too.
    let u = app.user("teacher", "user").await;
    let id = app.ticket(&u.token, "t").await["id"].as_i64().unwrap();
    let other = app.user("other", "user").await;
    assert_eq!(
        app.status(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(&other.token),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
    let denials = app
        .sql("SELECT description FROM audit_logs WHERE action_type = 'ACCESS_DENIED' ORDER BY id")
        .await;
    assert_eq!(denials.len(), 4);
    assert_eq!(
        denials[0],
        json!("Отказано в доступе: GET /api/v1/audit-logs/")
    );
    assert_eq!(
        denials[3],
        json!(format!("Отказано в доступе: GET /api/v1/tickets/{id}"))
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE action_type = 'ACCESS_DENIED' AND user_id = {}",
            other.id
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn the_chain_reveals_edited_deleted_and_truncated_rows() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    for i in 0..4 {
        app.ticket(&u.token, &format!("t{i}")).await;
    }
    let operator = app.service.operator();
    assert_eq!(operator.verify_audit().await.unwrap(), Vec::new());
    let ids: Vec<i64> = app
        .sql("SELECT id FROM audit_logs ORDER BY id")
        .await
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let (a, b, last) = (ids[2], ids[4], *ids.last().unwrap());

    app.exec(&format!(
        "UPDATE audit_logs SET description = 'nothing happened' WHERE id = {a}"
    ))
    .await;
    assert_eq!(
        operator.verify_audit().await.unwrap(),
        vec![ChainProblem::Altered { id: a }]
    );

    app.exec(&format!("DELETE FROM audit_logs WHERE id = {b}"))
        .await;
    let problems = operator.verify_audit().await.unwrap();
    assert!(
        problems.contains(&ChainProblem::Broken { id: ids[5] }),
        "{problems:?}"
    );

    app.exec(&format!("DELETE FROM audit_logs WHERE id = {last}"))
        .await;
    let problems = operator.verify_audit().await.unwrap();
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, ChainProblem::Truncated { .. })),
        "{problems:?}"
    );
}
