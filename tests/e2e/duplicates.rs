//! Duplicates: three people report the same broken projector. Staff merge the duplicates into
//! the ticket that stays; their requesters follow it, read it, write to it and hear of its
//! progress. Someone with the same problem joins an open report instead of filing another.

use fixdesk_tests::{TestApp, TestUser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn report(app: &TestApp, u: &TestUser, item: i64) -> i64 {
    let (status, t) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(json!({"title": "Проектор не включается", "description": "Совсем", "room_number": "214", "equipment_id": item})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    t["id"].as_i64().unwrap()
}

async fn merge(app: &TestApp, token: &str, id: i64, into: Value) -> (StatusCode, Value) {
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/merge"),
        Some(token),
        Some(json!({ "into": into })),
    )
    .await
}

async fn told(app: &TestApp, u: &TestUser, about: i64) -> Vec<String> {
    let (_, list) = app
        .call(Method::GET, "/api/v1/notifications/", Some(&u.token), None)
        .await;
    list.as_array()
        .unwrap()
        .iter()
        .filter(|n| n["related_id"] == about)
        .map(|n| n["notification_type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_merged_duplicate_closes_and_its_requester_follows_the_kept_ticket() {
    let app = TestApp::spawn().await;
    let item = app.equipment("Epson EB-X41", "Проекторы").await;
    let first = app.user("teacher_one", "user").await;
    let second = app.user("teacher_two", "user").await;
    let stranger = app.user("teacher_three", "user").await;
    let agent = app.user("tech", "agent").await;
    let kept = report(&app, &first, item).await;
    let dup = report(&app, &second, item).await;
    app.jobs_settled().await;

    // Before the merge, the second teacher may not read the first's ticket.
    let (status, _) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{kept}"),
            Some(&second.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Requesters do not merge; nor into itself, an unknown or a closed ticket.
    let (status, _) = merge(&app, &second.token, dup, json!(kept)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = merge(&app, &agent.token, dup, json!(dup)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = merge(&app, &agent.token, dup, json!(999_999)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["detail"].as_str().is_some(), "{body}");
    let (status, _) = merge(&app, &agent.token, dup, json!("seven")).await;
    assert!(status.is_client_error());

    let (status, answered) = merge(&app, &agent.token, dup, json!(kept)).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["id"], kept, "the kept ticket is answered");
    assert_eq!(answered["status"], "new", "the kept ticket is untouched");
    let (_, closed) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{dup}"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["merged_into_id"], kept);
    // Merging it again, or into the closed duplicate, is refused.
    let (status, _) = merge(&app, &agent.token, dup, json!(kept)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let third = report(&app, &stranger, item).await;
    let (status, _) = merge(&app, &agent.token, third, json!(dup)).await;
    assert_eq!(status, StatusCode::CONFLICT, "no chains of duplicates");

    // The duplicate's requester heard it closed, reads the kept ticket and writes to it.
    assert!(
        told(&app, &second, dup)
            .await
            .contains(&"ticket_completed".to_string())
    );
    let (status, seen) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{kept}"),
            Some(&second.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    let (status, posted) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{kept}/messages"),
            Some(&second.token),
            Some(json!({"message": "В 214 тоже не работает"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    // But not its internal notes, nor close it; the stranger still sees nothing.
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{kept}/messages"),
        Some(&agent.token),
        Some(json!({"message": "лампа", "internal": true})),
    )
    .await;
    let (_, thread) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{kept}/messages"),
            Some(&second.token),
            None,
        )
        .await;
    assert!(
        thread
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["internal"] == false)
    );
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{kept}/close"),
            Some(&second.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{kept}"),
            Some(&stranger.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Progress on the kept ticket reaches both requesters, not the one who made it.
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{kept}/assign"),
        Some(&agent.token),
        None,
    )
    .await;
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{kept}/messages"),
        Some(&agent.token),
        Some(json!({"message": "Меняем лампу"})),
    )
    .await;
    for u in [&first, &second] {
        let heard = told(&app, u, kept).await;
        assert!(
            heard.contains(&"ticket_updated".to_string()),
            "{}: {heard:?}",
            u.id
        );
        assert!(
            heard.contains(&"ticket_message".to_string()),
            "{}: {heard:?}",
            u.id
        );
    }
    assert!(told(&app, &stranger, kept).await.is_empty());

    // The stories say what happened, on both tickets.
    let (_, story) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{kept}/timeline"),
            Some(&agent.token),
            None,
        )
        .await;
    let here: Vec<&Value> = story
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "merged_here")
        .collect();
    assert_eq!(here.len(), 1, "{story}");
    assert_eq!(here[0]["from"], dup.to_string());
    let (_, story) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{dup}/timeline"),
            Some(&second.token),
            None,
        )
        .await;
    assert!(
        story
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "merged" && e["to"].as_str() == Some(kept.to_string().as_str())),
        "{story}"
    );
}

async fn follow(app: &TestApp, id: i64, u: &TestUser) -> (StatusCode, Value) {
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/follow"),
        Some(&u.token),
        None,
    )
    .await
}

#[tokio::test]
async fn whoever_has_the_same_problem_joins_an_open_report_of_an_item() {
    let app = TestApp::spawn().await;
    let item = app.equipment("HP LaserJet", "Принтеры").await;
    let first = app.user("reporter", "user").await;
    let other = app.user("colleague", "user").await;
    let agent = app.user("tech", "agent").await;
    let about_item = report(&app, &first, item).await;
    let personal = app.ticket(&first.token, "Забыл пароль").await["id"]
        .as_i64()
        .unwrap();
    // A report about nothing shared stays its requester's.
    let (status, body) = follow(&app, personal, &other).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, joined) = follow(&app, about_item, &other).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    let (status, _) = follow(&app, about_item, &other).await;
    assert_eq!(status, StatusCode::OK, "joining twice changes nothing");
    let joins = app
        .count(&format!(
            "SELECT COUNT(*) FROM ticket_followers WHERE ticket_id = {about_item}"
        ))
        .await;
    assert_eq!(joins, 1);
    // Closing it tells the follower too.
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{about_item}/close-with-message"),
        Some(&agent.token),
        Some(json!({"message": "Заменили картридж"})),
    )
    .await;
    assert!(
        told(&app, &other, about_item)
            .await
            .contains(&"ticket_completed".to_string())
    );
    // A closed report cannot be joined; leaving takes the ticket out of sight.
    let newcomer = app.user("newcomer", "user").await;
    let (status, _) = follow(&app, about_item, &newcomer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tickets/{about_item}/follow"),
            Some(&other.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{about_item}"),
            Some(&other.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
