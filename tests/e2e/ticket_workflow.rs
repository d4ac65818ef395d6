//! The status workflow, field-level rules, assignment and the claim race.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn new_ticket(app: &TestApp, token: &str) -> i64 {
    app.ticket(token, "Не работает").await["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn creators_edit_their_fields_while_new_and_are_refused_the_rest_whole() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = new_ticket(&app, &u.token).await;
    let path = format!("/api/v1/tickets/{id}");
    let (status, t) = app
        .call(
            Method::PUT,
            &path,
            Some(&u.token),
            Some(json!({"title": "Новый заголовок", "priority": "low", "room_number": "7"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            t["title"].clone(),
            t["priority"].clone(),
            t["room_number"].clone()
        ),
        (json!("Новый заголовок"), json!("low"), json!("7"))
    );
    // Sending back unchanged staff fields is fine; changing one refuses the whole request.
    let (status, _) = app
        .call(
            Method::PUT,
            &path,
            Some(&u.token),
            Some(json!({"title": "Ещё", "status": "new"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for (field, value) in [
        ("status", json!("closed")),
        ("assigned_to_id", json!(agent.id)),
        ("resolution", json!("сам починил")),
    ] {
        let (status, body) = app
            .call(
                Method::PUT,
                &path,
                Some(&u.token),
                Some(json!({"title": "Не должно примениться", field: value})),
            )
            .await;
        assert_eq!(
            (status, body),
            (
                StatusCode::FORBIDDEN,
                json!({"detail": format!("Недостаточно прав для изменения поля: {field}")})
            )
        );
    }
    let (_, t) = app.call(Method::GET, &path, Some(&u.token), None).await;
    assert_eq!(t["title"], "Ещё", "a refused request is never half-applied");
    // Once work has started the creator can no longer edit.
    app.call(
        Method::POST,
        &format!("{path}/assign"),
        Some(&agent.token),
        Some(json!({})),
    )
    .await;
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(&u.token),
            Some(json!({"title": "Поздно"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["detail"].as_str().unwrap().contains("new"));
    let updates = app.count(&format!("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'UPDATE' AND entity_type = 'ticket' AND entity_id = {id}")).await;
    assert_eq!(
        updates, 3,
        "two edits and the claim; refusals write nothing"
    );
}

#[tokio::test]
async fn assignment_moves_new_to_in_progress_and_closing_stamps_the_resolution_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = new_ticket(&app, &u.token).await;
    let path = format!("/api/v1/tickets/{id}");
    let (status, t) = app
        .call(
            Method::PUT,
            &format!("{path}/assign/{}", agent.id),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            t["status"].clone(),
            t["assigned_to_id"].clone(),
            t["assigned_to"]["name"].clone()
        ),
        (json!("in_progress"), json!(agent.id), json!("agent full"))
    );
    assert_eq!(t["closed_at"], Value::Null);
    let (_, t) = app
        .call(
            Method::POST,
            &format!("{path}/close"),
            Some(&agent.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(t["status"], "closed");
    assert!(t["closed_at"].is_string());
    // Closing twice changes nothing.
    let (status, again) = app
        .call(
            Method::POST,
            &format!("{path}/close"),
            Some(&agent.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, again["closed_at"].clone()),
        (StatusCode::OK, t["closed_at"].clone())
    );
    // The creator cannot reopen; staff can, and the resolution time is cleared.
    let (status, _) = app
        .call(
            Method::PUT,
            &path,
            Some(&u.token),
            Some(json!({"status": "new"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, t) = app
        .call(
            Method::PUT,
            &format!("{path}/status/in_progress"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        (status, t["status"].clone(), t["closed_at"].clone()),
        (StatusCode::OK, json!("in_progress"), Value::Null)
    );
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("{path}/status/bogus"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["path", "status"]));
    let description = app.sql(&format!("SELECT description FROM audit_logs WHERE description LIKE 'Изменен статус%' AND entity_id = {id}")).await;
    assert_eq!(
        description,
        vec![json!(format!(
            "Изменен статус заявки #{id} с 'closed' на 'in_progress'"
        ))]
    );
}

#[tokio::test]
async fn the_creator_may_close_their_own_ticket_but_not_others() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let other = app.user("other", "user").await;
    let id = new_ticket(&app, &u.token).await;
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/close"),
            Some(&other.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"detail": "Нет прав для закрытия данной заявки"})
        )
    );
    let (status, t) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/close"),
            Some(&u.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, t["status"].clone()),
        (StatusCode::OK, json!("closed"))
    );
}

#[tokio::test]
async fn agents_work_unassigned_and_their_own_tickets_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let a1 = app.user("agent_one", "agent").await;
    let a2 = app.user("agent_two", "agent").await;
    let id = new_ticket(&app, &u.token).await;
    let path = format!("/api/v1/tickets/{id}");
    assert_eq!(
        app.status(
            Method::POST,
            &format!("{path}/assign"),
            Some(&a1.token),
            Some(json!({}))
        )
        .await,
        StatusCode::OK
    );
    let taken = json!({"detail": "Заявка назначена на другого сотрудника"});
    assert_eq!(
        app.call(
            Method::POST,
            &format!("{path}/close"),
            Some(&a2.token),
            Some(json!({}))
        )
        .await,
        (StatusCode::FORBIDDEN, taken.clone())
    );
    assert_eq!(
        app.call(
            Method::PUT,
            &format!("{path}/status/closed"),
            Some(&a2.token),
            None
        )
        .await,
        (StatusCode::FORBIDDEN, taken.clone())
    );
    assert_eq!(
        app.call(
            Method::PUT,
            &path,
            Some(&a2.token),
            Some(json!({"priority": "high"}))
        )
        .await,
        (StatusCode::FORBIDDEN, taken)
    );
    let (status, body) = app
        .call(
            Method::POST,
            &format!("{path}/assign"),
            Some(&a2.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::CONFLICT,
            json!({"detail": "Заявка уже взята в работу другим сотрудником"})
        )
    );
    // An admin hands it over; then the new holder works it.
    let (status, t) = app
        .call(
            Method::PUT,
            &path,
            Some(&admin),
            Some(json!({"assigned_to_id": a2.id})),
        )
        .await;
    assert_eq!(
        (status, t["assigned_to_id"].clone()),
        (StatusCode::OK, json!(a2.id))
    );
    assert_eq!(
        app.status(
            Method::POST,
            &format!("{path}/close-with-message"),
            Some(&a2.token),
            Some(json!({"message": "Заменили картридж"}))
        )
        .await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn assignees_must_be_active_staff() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let gone = app.user("gone", "agent").await;
    app.call(
        Method::PUT,
        &format!("/api/v1/users/{}", gone.id),
        Some(&admin),
        Some(json!({"is_active": false})),
    )
    .await;
    let id = new_ticket(&app, &u.token).await;
    let path = format!("/api/v1/tickets/{id}");
    for target in [u.id, gone.id, 9999] {
        let (status, body) = app
            .call(
                Method::PUT,
                &format!("{path}/assign/{target}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(
            (status, body),
            (StatusCode::NOT_FOUND, json!({"detail": "Агент не найден"})),
            "{target}"
        );
        let (status, _) = app
            .call(
                Method::PUT,
                &path,
                Some(&admin),
                Some(json!({"assigned_to_id": target})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{target}");
    }
    // Admins can be assigned (the old API allowed agents only).
    let (status, t) = app
        .call(Method::PUT, &format!("{path}/assign/1"), Some(&admin), None)
        .await;
    assert_eq!(
        (status, t["assigned_to_id"].clone()),
        (StatusCode::OK, json!(1))
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM tickets WHERE id = {id} AND assigned_to_id = 1"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn of_two_agents_claiming_at_once_exactly_one_wins() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let a1 = app.user("agent_one", "agent").await;
    let a2 = app.user("agent_two", "agent").await;
    for _ in 0..5 {
        let id = new_ticket(&app, &u.token).await;
        let path = format!("/api/v1/tickets/{id}/assign");
        let (r1, r2) = tokio::join!(
            app.call(Method::POST, &path, Some(&a1.token), Some(json!({}))),
            app.call(Method::POST, &path, Some(&a2.token), Some(json!({}))),
        );
        let mut statuses = [r1.0, r2.0];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
        let winner = if r1.0 == StatusCode::OK { a1.id } else { a2.id };
        assert_eq!(
            app.count(&format!(
                "SELECT assigned_to_id FROM tickets WHERE id = {id}"
            ))
            .await,
            winner
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_logs WHERE entity_id = {id} AND action_type = 'UPDATE'"
            ))
            .await,
            1
        );
    }
}

#[tokio::test]
async fn close_with_message_posts_resolves_and_audits() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = new_ticket(&app, &u.token).await;
    let path = format!("/api/v1/tickets/{id}/close-with-message");
    let (status, body) = app
        .call(
            Method::POST,
            &path,
            Some(&u.token),
            Some(json!({"message": "x"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"detail": "Только агенты и администраторы могут закрывать заявки с сообщением"})
        )
    );
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/tickets/999/close-with-message",
            Some(&u.token),
            Some(json!({"message": "x"}))
        )
        .await,
        StatusCode::NOT_FOUND,
        "404 before the role check"
    );
    assert_eq!(
        app.status(Method::POST, &path, Some(&agent.token), Some(json!({})))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, t) = app
        .call(
            Method::POST,
            &path,
            Some(&agent.token),
            Some(json!({"message": "Заменили кабель"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            t["status"].clone(),
            t["resolution"].clone(),
            t["messages_count"].clone()
        ),
        (json!("closed"), json!("Заменили кабель"), json!(1))
    );
    let (_, thread) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(thread[0]["user_id"], agent.id);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket' AND entity_id = {id} AND action_type = 'UPDATE'")).await, 1);
}
