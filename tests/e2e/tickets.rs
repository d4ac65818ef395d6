//! Filing, reading, listing and editing tickets; messages.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

/// `GET /tickets/{query}` as `token`: the `X-Total-Count` header and the body.
async fn page(app: &TestApp, token: &str, query: &str) -> (String, Value) {
    let r = app
        .req(
            Method::GET,
            &format!("/api/v1/tickets/{query}"),
            Some(token),
        )
        .send()
        .await
        .unwrap();
    let total = r
        .headers()
        .get("x-total-count")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (total, r.json::<Value>().await.unwrap())
}

#[tokio::test]
async fn a_filed_ticket_has_the_contract_shape_plus_names() {
    let app = TestApp::spawn().await;
    let cat = app.category("Принтеры").await;
    let printer = app.equipment("HP LaserJet", "Принтеры").await;
    let u = app.user("teacher", "user").await;
    let body = json!({"title": "Не печатает", "description": "Замятие бумаги", "priority": "high", "category_id": cat, "room_number": "214", "equipment_id": printer});
    let (status, t) = app
        .call(Method::POST, "/api/v1/tickets/", Some(&u.token), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    for (k, v) in [
        ("title", json!("Не печатает")),
        ("status", json!("new")),
        ("priority", json!("high")),
        ("category_id", json!(cat)),
        ("room_number", json!("214")),
        ("equipment_id", json!(printer)),
        ("creator_id", json!(u.id)),
        ("assigned_to_id", Value::Null),
        ("resolution", Value::Null),
        ("messages_count", json!(0)),
    ] {
        assert_eq!(t[k], v, "{k}");
    }
    assert_eq!(t["created_by"], json!({"id": u.id, "name": "teacher full"}));
    assert_eq!(t["assigned_to"], Value::Null);
    let created = t["created_at"].as_str().unwrap();
    assert_eq!(created.len(), 19, "naive ISO seconds: {created}");
    assert!(t.get("is_hidden_for_creator").is_none(), "never exposed");
    let id = t["id"].as_i64().unwrap();
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'CREATE' AND entity_type = 'ticket' AND entity_id = {id}")).await, 1);
    let (_, read) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(read, t);
}

#[tokio::test]
async fn every_field_is_validated_on_create_and_nothing_invalid_is_stored() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let bad = json!({"title": "x".repeat(101), "description": "d", "room_number": "1".repeat(21), "priority": "urgent"});
    let (status, body) = app
        .call(Method::POST, "/api/v1/tickets/", Some(&u.token), Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&Value> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["loc"][1])
        .collect();
    assert_eq!(fields, vec!["title", "room_number", "priority"]);
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(json!({"title": "t", "description": "d"})),
        )
        .await;
    assert_eq!(
        (status, body["detail"][0]["loc"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!(["body", "room_number"])
        )
    );
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(json!({"title": "", "description": "d", "room_number": "1"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(json!({"title": "t", "description": "d", "room_number": "1", "category_id": 999})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Категория не найдена или неактивна"})
        )
    );
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(
                json!({"title": "t", "description": "d", "room_number": "1", "equipment_id": 555}),
            ),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Указанное оборудование не найдено"})
        )
    );
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(json!({"title": "t", "description": "d", "room_number": null})),
        )
        .await;
    assert_eq!(
        (status, body["detail"][0]["type"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("string_type"))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
    // A category that was deactivated can no longer be chosen.
    let cat = app.category("Старое").await;
    let admin = app.admin_token().await;
    app.call(
        Method::PUT,
        &format!("/api/v1/categories/{cat}"),
        Some(&admin),
        Some(json!({"is_active": false})),
    )
    .await;
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(json!({"title": "t", "description": "d", "room_number": "1", "category_id": cat})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_list_filters_sorts_pages_and_counts() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let cat = app.category("Мониторы").await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let mut made = Vec::new();
    for (i, p) in ["low", "high", "medium", "high", "low"].iter().enumerate() {
        let body = json!({"title": format!("Монитор мигает {i}"), "description": if i == 3 { "Экран СИНИЙ" } else { "экран" }, "room_number": "1", "priority": p, "category_id": if i % 2 == 0 { Some(cat) } else { None }});
        let (_, t) = app
            .call(Method::POST, "/api/v1/tickets/", Some(&u.token), Some(body))
            .await;
        made.push(t["id"].as_i64().unwrap());
    }
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{}/assign", made[1]),
        Some(&agent.token),
        Some(json!({})),
    )
    .await;
    let (total, all) = page(&app, &admin, "").await;
    assert_eq!(total, "5");
    assert_eq!(
        ids(&all),
        made.iter().rev().copied().collect::<Vec<_>>(),
        "newest first, ties by id"
    );
    let (total, p) = page(&app, &admin, "?skip=1&limit=2").await;
    assert_eq!((total.as_str(), ids(&p)), ("5", vec![made[3], made[2]]));
    let (total, p) = page(&app, &admin, "?priority=high").await;
    assert_eq!((total.as_str(), ids(&p)), ("2", vec![made[3], made[1]]));
    let (_, p) = page(&app, &admin, "?status=in_progress").await;
    assert_eq!(ids(&p), vec![made[1]]);
    let (_, p) = page(&app, &admin, &format!("?assigned_to_id={}", agent.id)).await;
    assert_eq!(ids(&p), vec![made[1]]);
    let (_, p) = page(&app, &admin, &format!("?category_id={cat}&sort=id")).await;
    assert_eq!(ids(&p), vec![made[0], made[2], made[4]]);
    let (_, p) = page(&app, &admin, "?sort=-priority").await;
    assert_eq!(
        ids(&p),
        vec![made[3], made[1], made[2], made[4], made[0]],
        "by urgency, then id descending"
    );
    let (_, p) = page(&app, &admin, "?search=%D1%81%D0%B8%D0%BD%D0%B8%D0%B9").await; // "синий", matched case-insensitively
    assert_eq!(ids(&p), vec![made[3]]);
    let (_, p) = page(&app, &admin, "?status=&_nocache=1&user_id=3").await;
    assert_eq!(
        p.as_array().unwrap().len(),
        5,
        "empty and unknown parameters are ignored"
    );
    for bad in [
        "?status=bogus",
        "?priority=urgent",
        "?sort=title",
        "?limit=x",
    ] {
        let r = app
            .req(Method::GET, &format!("/api/v1/tickets/{bad}"), Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[tokio::test]
async fn users_see_only_their_own_visible_tickets() {
    let app = TestApp::spawn().await;
    let a = app.user("user_a", "user").await;
    let b = app.user("user_b", "user").await;
    let agent = app.user("agent", "agent").await;
    let ta = app.ticket(&a.token, "A's").await["id"].as_i64().unwrap();
    let tb = app.ticket(&b.token, "B's").await["id"].as_i64().unwrap();
    let (_, mine) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&a.token), None)
        .await;
    assert_eq!(ids(&mine), vec![ta]);
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{tb}"),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"detail": "Нет прав для просмотра данной заявки"})
        )
    );
    // A user filtering by someone else still sees only their own.
    let (_, filtered) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/?creator_id={}", b.id),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(ids(&filtered), Vec::<i64>::new());
    // Hiding: gone for the creator (404), still there for staff.
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/tickets/{ta}"),
            Some(&a.token),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{ta}"),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "Заявка не найдена"})
        )
    );
    let (_, mine) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&a.token), None)
        .await;
    assert_eq!(ids(&mine), Vec::<i64>::new());
    let (_, staff) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&agent.token), None)
        .await;
    assert_eq!(ids(&staff), vec![tb, ta]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM tickets WHERE id = {ta} AND is_hidden_for_creator"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn messages_are_posted_by_creator_and_staff_and_counted() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let other = app.user("other", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = app.ticket(&u.token, "Проектор").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/tickets/{id}/messages");
    let (status, m) = app
        .call(
            Method::POST,
            &path,
            Some(&u.token),
            Some(json!({"message": "Когда придёте?"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (
            m["ticket_id"].clone(),
            m["user_id"].clone(),
            m["author_name"].clone()
        ),
        (json!(id), json!(u.id), json!("teacher full"))
    );
    assert_eq!(
        app.status(
            Method::POST,
            &path,
            Some(&agent.token),
            Some(json!({"message": "Сегодня"}))
        )
        .await,
        StatusCode::CREATED
    );
    assert_eq!(
        app.status(
            Method::POST,
            &path,
            Some(&other.token),
            Some(json!({"message": "spam"}))
        )
        .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.status(
            Method::POST,
            &path,
            Some(&u.token),
            Some(json!({"message": ""}))
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, thread) = app.call(Method::GET, &path, Some(&u.token), None).await;
    let texts: Vec<&str> = thread
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["Когда придёте?", "Сегодня"]);
    let (_, count) = app
        .call(Method::GET, &format!("{path}/count"), Some(&u.token), None)
        .await;
    assert_eq!(count, json!({"count": 2}));
    let (_, t) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(t["messages_count"], 2);
    assert_eq!(
        app.status(Method::GET, &path, Some(&other.token), None)
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.status(
            Method::GET,
            "/api/v1/tickets/999/messages",
            Some(&u.token),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket_message'")
            .await,
        2
    );
}

#[tokio::test]
async fn async_ticket_routes_answer_from_the_same_use_cases() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let (status, t) = app
        .call(
            Method::POST,
            "/api/v1/async-tickets/async",
            Some(&u.token),
            Some(json!({"title": "t", "description": "d", "room_number": "5"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = t["id"].as_i64().unwrap();
    let (_, list) = app
        .call(
            Method::GET,
            "/api/v1/async-tickets/async",
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(ids(&list), vec![id]);
    let (status, updated) = app
        .call(
            Method::PUT,
            &format!("/api/v1/async-tickets/async/{id}"),
            Some(&u.token),
            Some(json!({"title": "t2"})),
        )
        .await;
    assert_eq!(
        (status, updated["title"].clone()),
        (StatusCode::OK, json!("t2"))
    );
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/async-tickets/async/{id}"),
            Some(&u.token),
            Some(json!({"status": "bogus"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same validation on every write path"
    );
    let (_, read) = app
        .call(
            Method::GET,
            &format!("/api/v1/async-tickets/async/{id}"),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(read["title"], "t2");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket'")
            .await,
        2,
        "audited like the main routes"
    );
}

#[tokio::test]
async fn admins_delete_tickets_with_their_threads() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let id = app.ticket(&u.token, "Сломано").await["id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/messages"),
        Some(&u.token),
        Some(json!({"message": "m"})),
    )
    .await;
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
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM ticket_messages").await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE action_type = 'DELETE' AND entity_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/tickets/{id}"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    // Ids are not reused after deleting the newest ticket.
    let next = app.ticket(&u.token, "Снова").await["id"].as_i64().unwrap();
    assert!(next > id);
}

#[tokio::test]
async fn due_order_puts_the_higher_priority_first_among_equally_due() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("tech", "agent").await;
    // No service levels: nothing has a due time, so priority decides, then the number.
    let mut filed = Vec::new();
    for priority in ["low", "high", "medium", "high"] {
        let (status, t) = app
            .call(
                Method::POST,
                "/api/v1/tickets/",
                Some(&u.token),
                Some(json!({"title": "Нет сети", "description": "Совсем", "room_number": "5", "priority": priority})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{t}");
        filed.push(t["id"].as_i64().unwrap());
    }
    let order = |sort: &str| {
        let app = &app;
        let token = agent.token.clone();
        let path = format!("/api/v1/tickets/?sort={sort}");
        async move {
            let (status, list) = app.call(Method::GET, &path, Some(&token), None).await;
            assert_eq!(status, StatusCode::OK, "{list}");
            list.as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    let expected = vec![filed[1], filed[3], filed[2], filed[0]];
    assert_eq!(order("due_at").await, expected);
    let reversed: Vec<i64> = expected.into_iter().rev().collect();
    assert_eq!(order("-due_at").await, reversed);
}
