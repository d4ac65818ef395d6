//! Notifications: who is told what, the per-user settings, and each endpoint on one's own and
//! someone else's notifications.

use fixdesk_tests::{TestApp, TestUser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn mine(app: &TestApp, u: &TestUser) -> Vec<Value> {
    let (status, list) = app
        .call(Method::GET, "/api/v1/notifications/", Some(&u.token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    list.as_array().unwrap().clone()
}

fn kinds(list: &[Value]) -> Vec<&str> {
    list.iter()
        .map(|n| n["notification_type"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn each_event_reaches_the_other_side() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let a1 = app.user("agent_one", "agent").await;
    let a2 = app.user("agent_two", "agent").await;
    let id = app.ticket(&u.token, "Нет интернета").await["id"]
        .as_i64()
        .unwrap();
    // The staff hear of a new ticket through the job queue.
    app.jobs_settled().await;
    for agent in [&a1, &a2] {
        let list = mine(&app, agent).await;
        assert_eq!(kinds(&list), vec!["ticket_created"]);
        assert_eq!(list[0]["related_id"], id);
        assert_eq!(list[0]["is_read"], false);
    }
    assert_eq!(
        mine(&app, &u).await,
        Vec::<Value>::new(),
        "nobody is told of their own action"
    );
    let admin_token = app.admin_token().await;
    let (_, admin_list) = app
        .call(
            Method::GET,
            "/api/v1/notifications/",
            Some(&admin_token),
            None,
        )
        .await;
    assert_eq!(
        admin_list.as_array().unwrap().len(),
        1,
        "admins are staff too"
    );

    app.call(
        Method::PUT,
        &format!("/api/v1/tickets/{id}/assign/{}", a2.id),
        Some(&a1.token),
        None,
    )
    .await;
    assert_eq!(
        kinds(&mine(&app, &a2).await),
        vec!["ticket_assigned", "ticket_created"]
    );
    assert_eq!(
        kinds(&mine(&app, &u).await),
        vec!["ticket_updated"],
        "the status moved to in_progress"
    );

    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/messages"),
        Some(&u.token),
        Some(json!({"message": "Жду"})),
    )
    .await;
    assert_eq!(
        kinds(&mine(&app, &a2).await)[0],
        "ticket_message",
        "the creator's message goes to the assignee"
    );
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/messages"),
        Some(&a2.token),
        Some(json!({"message": "Иду"})),
    )
    .await;
    let list = mine(&app, &u).await;
    assert_eq!(
        (kinds(&list)[0], list[0]["message"].clone()),
        ("ticket_message", json!("Иду"))
    );

    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/close-with-message"),
        Some(&a2.token),
        Some(json!({"message": "Перезагрузили роутер"})),
    )
    .await;
    let list = mine(&app, &u).await;
    assert_eq!(
        (kinds(&list)[0], list[0]["message"].clone()),
        ("ticket_completed", json!("Перезагрузили роутер"))
    );
    assert_eq!(
        kinds(&mine(&app, &a1).await),
        vec!["ticket_created"],
        "bystanders hear nothing more"
    );
}

#[tokio::test]
async fn settings_are_stored_and_honoured() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    let u = app.user("teacher", "user").await;
    let (status, s) = app
        .call(
            Method::GET,
            "/api/v1/notifications/settings",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        (status, s["settings"]["ticket_created"].clone()),
        (StatusCode::OK, json!(true))
    );
    let (status, s) = app
        .call(
            Method::POST,
            "/api/v1/notifications/settings",
            Some(&agent.token),
            Some(json!({"ticket_created": "no", "ticket_message": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            s["success"].clone(),
            s["settings"]["ticket_created"].clone(),
            s["settings"]["ticket_message"].clone()
        ),
        (json!(true), json!(false), json!(true))
    );
    app.ticket(&u.token, "t").await;
    assert_eq!(mine(&app, &agent).await, Vec::<Value>::new());
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/notifications/settings",
            Some(&agent.token),
            Some(json!({"spam": true, "system": "maybe"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/notifications/settings",
            Some(&agent.token),
            Some(json!([1]))
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn each_endpoint_touches_only_ones_own_notifications() {
    let app = TestApp::spawn().await;
    let a = app.user("user_a", "user").await;
    let b = app.user("user_b", "user").await;
    for u in [&a, &a, &b] {
        let (status, body) = app
            .call(
                Method::POST,
                "/api/v1/notifications/send-test",
                Some(&u.token),
                None,
            )
            .await;
        assert_eq!(
            (status, body["success"].clone()),
            (StatusCode::OK, json!(true))
        );
    }
    let a_ids: Vec<i64> = mine(&app, &a)
        .await
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    let b_id = mine(&app, &b).await[0]["id"].as_i64().unwrap();
    let (_, count) = app
        .call(
            Method::GET,
            "/api/v1/notifications/unread-count",
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(count, json!({"count": 2}));
    assert_eq!(
        app.status(
            Method::POST,
            &format!("/api/v1/notifications/mark-read/{b_id}"),
            Some(&a.token),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/notifications/{b_id}"),
            Some(&a.token),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/notifications/mark-read/{}", a_ids[0]),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"id": a_ids[0], "is_read": true}))
    );
    let (_, unread) = app
        .call(
            Method::GET,
            "/api/v1/notifications/?unread_only=true",
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(unread.as_array().unwrap().len(), 1);
    app.call(
        Method::POST,
        "/api/v1/notifications/mark-all-read",
        Some(&a.token),
        None,
    )
    .await;
    let (_, count) = app
        .call(
            Method::GET,
            "/api/v1/notifications/unread-count",
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(count, json!({"count": 0}));
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/notifications/{}", a_ids[1]),
            Some(&a.token),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(mine(&app, &a).await.len(), 1);
    let (_, b_count) = app
        .call(
            Method::GET,
            "/api/v1/notifications/unread-count",
            Some(&b.token),
            None,
        )
        .await;
    assert_eq!(
        b_count,
        json!({"count": 1}),
        "b's notification was never touched"
    );
    assert_eq!(
        app.status(Method::GET, "/api/v1/notifications/", None, None)
            .await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_staff_hear_of_a_new_ticket_at_once_with_the_same_statements_however_many_they_are() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let statements_to_file = |title: &'static str| {
        let app = &app;
        let token = u.token.clone();
        // Background reads (the live feed after each commit, the job worker's polls) only ever
        // add to a window: the fewest over a few filings is the filing's own cost.
        async move {
            let (mut id, mut fewest) = (0, u64::MAX);
            for _ in 0..5 {
                let before = app.service.database().statements();
                id = app.ticket(&token, title).await["id"].as_i64().unwrap();
                fewest = fewest.min(app.service.database().statements() - before);
            }
            (id, fewest)
        }
    };
    let told = |id: i64| {
        format!(
            "SELECT COUNT(*) FROM notifications WHERE notification_type = 'ticket_created' AND related_id = {id}"
        )
    };
    let (first, with_one) = statements_to_file("Нет звука").await;
    assert_eq!(app.count(&told(first)).await, 1, "the admin, at once");

    let mut agents = Vec::new();
    for n in 0..6 {
        agents.push(app.user(&format!("agent_{n}"), "agent").await);
    }
    let quiet = &agents[0];
    let r = app
        .req(
            Method::POST,
            "/api/v1/notifications/settings",
            Some(&quiet.token),
        )
        .json(&json!({"ticket_created": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    app.exec(&format!(
        "UPDATE users SET is_active = false WHERE id = {}",
        agents[1].id
    ))
    .await;
    let (second, with_seven) = statements_to_file("Не греет").await;
    // No job to wait for: the notifications were committed with the ticket.
    assert_eq!(
        app.count(&told(second)).await,
        5,
        "the admin and four agents: not the one who switched it off, not the inactive one"
    );
    let quiet_told = format!(
        "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND related_id = {second}",
        quiet.id
    );
    assert_eq!(app.count(&quiet_told).await, 0);
    assert!(
        with_seven.abs_diff(with_one) <= 3,
        "filing with 1 or 7 staff: {with_one} and {with_seven} statements"
    );
    // An agent's own ticket does not notify them.
    let (mine, _) = {
        let before = app.service.database().statements();
        let id = app.ticket(&agents[2].token, "Мой монитор").await["id"]
            .as_i64()
            .unwrap();
        (id, app.service.database().statements() - before)
    };
    let self_told = format!(
        "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND related_id = {mine}",
        agents[2].id
    );
    assert_eq!(app.count(&self_told).await, 0);
    assert_eq!(app.count(&told(mine)).await, 4);
}
