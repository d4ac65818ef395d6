//! Fair assignment end to end: rules spread concurrent filings evenly and skip who is away or
//! inactive, a category change hands a ticket to the new category's group, and "next ticket"
//! gives concurrent askers different tickets. Runs on PostgreSQL too (`just test-pg`).

use fixdesk_tests::{TestApp, TestUser};
use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn rule(app: &TestApp, category: i64, strategy: &str, agents: &[&TestUser]) -> Value {
    let admin = app.admin_token().await;
    let ids: Vec<i64> = agents.iter().map(|a| a.id).collect();
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/assignment-rules/",
            Some(&admin),
            Some(json!({"category_id": category, "strategy": strategy, "agent_ids": ids, "enabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// Files `n` tickets in `category` at once and returns their assignees.
async fn file_at_once(app: &TestApp, user: &TestUser, category: i64, n: usize) -> Vec<i64> {
    let filings = (0..n).map(|i| {
        app.call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(json!({"title": format!("Заявка {i}"), "description": "—", "room_number": "7", "category_id": category})),
        )
    });
    join_all(filings)
        .await
        .into_iter()
        .map(|(status, body)| {
            assert_eq!(status, StatusCode::CREATED, "{body}");
            assert_eq!(
                body["status"], "in_progress",
                "an assigned ticket is in work"
            );
            body["assigned_to_id"].as_i64().expect("assigned")
        })
        .collect()
}

fn tally(assignees: &[i64], agent: &TestUser) -> usize {
    assignees.iter().filter(|a| **a == agent.id).count()
}

#[tokio::test]
async fn round_robin_spreads_concurrent_filings_evenly_and_skips_who_is_away() {
    let app = TestApp::spawn().await;
    let category = app.category("Проекторы").await;
    let [a, b, c] = [
        app.user("rr_a", "agent").await,
        app.user("rr_b", "agent").await,
        app.user("rr_c", "agent").await,
    ];
    let user = app.user("rr_user", "user").await;
    rule(&app, category, "round_robin", &[&a, &b, &c]).await;
    let assignees = file_at_once(&app, &user, category, 30).await;
    assert_eq!(
        [
            tally(&assignees, &a),
            tally(&assignees, &b),
            tally(&assignees, &c)
        ],
        [10, 10, 10],
        "{assignees:?}"
    );
    // The agent is told of each ticket given to them.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND notification_type = 'ticket_assigned'",
            a.id
        ))
        .await,
        10
    );

    // B is away today (recorded by B), C deactivated: A takes everything.
    let today = chrono::Utc::now().date_naive().to_string();
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/absences", b.id),
            Some(&b.token),
            Some(json!({"starts_on": today, "ends_on": today, "note": "Отпуск"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let admin = app.admin_token().await;
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/users/{}", c.id),
            Some(&admin),
            Some(json!({"is_active": false})),
        )
        .await;
    assert!(status.is_success());
    let assignees = file_at_once(&app, &user, category, 4).await;
    assert_eq!(tally(&assignees, &a), 4, "{assignees:?}");
}

#[tokio::test]
async fn least_open_evens_out_the_load_under_concurrency() {
    let app = TestApp::spawn().await;
    let category = app.category("Сеть").await;
    let [a, b, c] = [
        app.user("lo_a", "agent").await,
        app.user("lo_b", "agent").await,
        app.user("lo_c", "agent").await,
    ];
    let user = app.user("lo_user", "user").await;
    // A already holds four open tickets.
    for i in 0..4 {
        let id = app.ticket(&user.token, &format!("Старая {i}")).await["id"]
            .as_i64()
            .unwrap();
        let (status, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/tickets/{id}/assign"),
                Some(&a.token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    rule(&app, category, "least_open", &[&a, &b, &c]).await;
    let assignees = file_at_once(&app, &user, category, 11).await;
    // 4 + 11 = 15 open tickets: five each, whatever the order the filings raced in.
    assert_eq!(
        [
            tally(&assignees, &a) + 4,
            tally(&assignees, &b),
            tally(&assignees, &c)
        ],
        [5, 5, 5],
        "{assignees:?}"
    );
}

#[tokio::test]
async fn a_category_change_hands_the_ticket_to_its_group_unless_one_of_them_holds_it() {
    let app = TestApp::spawn().await;
    let printers = app.category("Принтеры").await;
    let network = app.category("Сеть").await;
    let a = app.user("cc_a", "agent").await;
    let user = app.user("cc_user", "user").await;
    rule(&app, network, "round_robin", &[&a]).await;
    let t = app.ticket(&user.token, "Не печатает по сети").await;
    assert!(t["assigned_to_id"].is_null(), "no rule without a category");
    let path = format!("/api/v1/tickets/{}", t["id"]);
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(&user.token),
            Some(json!({"category_id": printers})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["assigned_to_id"].is_null(), "printers have no rule");
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(&user.token),
            Some(json!({"category_id": network})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["assigned_to_id"], a.id);
    assert_eq!(body["status"], "in_progress");
}

#[tokio::test]
async fn next_ticket_gives_concurrent_agents_different_tickets() {
    let app = TestApp::spawn().await;
    let user = app.user("nx_user", "user").await;
    let mut agents = Vec::new();
    for i in 0..4 {
        agents.push(app.user(&format!("nx_agent{i}"), "agent").await);
    }
    let mut filed = Vec::new();
    for i in 0..3 {
        filed.push(
            app.ticket(&user.token, &format!("Очередь {i}")).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let asks = agents
        .iter()
        .map(|a| app.call(Method::POST, "/api/v1/tickets/next", Some(&a.token), None));
    let answers = join_all(asks).await;
    let mut taken: Vec<i64> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .map(|(_, b)| b["id"].as_i64().unwrap())
        .collect();
    taken.sort_unstable();
    assert_eq!(
        taken, filed,
        "three tickets, three different takers: {answers:?}"
    );
    let empty: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::NOT_FOUND)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(empty.len(), 1, "the fourth finds the queue empty");
    // Users may not take tickets.
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/tickets/next",
            Some(&user.token),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn rules_and_absences_are_kept_by_the_right_people() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let category = app.category("Мебель").await;
    let a = app.user("ra_a", "agent").await;
    let b = app.user("ra_b", "agent").await;
    let user = app.user("ra_user", "user").await;
    let body = json!({"category_id": category, "strategy": "round_robin", "agent_ids": [a.id]});
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/assignment-rules/",
            Some(&a.token),
            Some(body.clone())
        )
        .await,
        StatusCode::FORBIDDEN
    );
    let bad = json!({"category_id": category, "strategy": "random", "agent_ids": [a.id]});
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/assignment-rules/",
            Some(&admin),
            Some(bad)
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let to_user =
        json!({"category_id": category, "strategy": "round_robin", "agent_ids": [user.id]});
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/assignment-rules/",
            Some(&admin),
            Some(to_user)
        )
        .await,
        StatusCode::BAD_REQUEST,
        "only staff take tickets"
    );
    let (status, created) = app
        .call(
            Method::POST,
            "/api/v1/assignment-rules/",
            Some(&admin),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["enabled"], false, "off until switched on");
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/assignment-rules/",
            Some(&admin),
            Some(body)
        )
        .await,
        StatusCode::BAD_REQUEST,
        "one rule per category"
    );
    // Absences: one's own, or anyone's as admin; never another agent's.
    let away = json!({"starts_on": "2026-12-24", "ends_on": "2026-12-26"});
    let other = format!("/api/v1/users/{}/absences", b.id);
    assert_eq!(
        app.status(Method::POST, &other, Some(&a.token), Some(away.clone()))
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.status(Method::POST, &other, Some(&admin), Some(away.clone()))
            .await,
        StatusCode::CREATED
    );
    let backwards = json!({"starts_on": "2026-12-26", "ends_on": "2026-12-24"});
    assert_eq!(
        app.status(Method::POST, &other, Some(&b.token), Some(backwards))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, list) = app.call(Method::GET, &other, Some(&b.token), None).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(
        app.status(Method::GET, &other, Some(&user.token), None)
            .await,
        StatusCode::FORBIDDEN
    );
    let absence = &list[0]["id"];
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("{other}/{absence}"),
            Some(&b.token),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type IN ('assignment_rule', 'absence')"
        )
        .await,
        3
    );
}
