//! Live delivery: notifications over Server-Sent Events, audit records over a WebSocket.

use std::time::Duration;

use fixdesk_tests::{Sse, TestApp, TestUser};
use futures::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

#[tokio::test]
async fn notifications_arrive_within_a_second_and_a_reconnect_misses_nothing() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let mut stream = Sse::open(&app, &agent, None).await;
    let started = tokio::time::Instant::now();
    let id = app.ticket(&u.token, "Live").await["id"].as_i64().unwrap();
    let (first_id, data) = stream.next(Duration::from_secs(5)).await.expect("an event");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        (
            data["notification_type"].clone(),
            data["related_id"].clone(),
            data["user_id"].clone()
        ),
        (json!("ticket_created"), json!(id), json!(agent.id))
    );
    drop(stream);

    // While disconnected, two more arrive; another user's do not count.
    app.ticket(&u.token, "Missed 1").await;
    app.call(
        Method::POST,
        "/api/v1/notifications/send-test",
        Some(&u.token),
        None,
    )
    .await;
    app.ticket(&u.token, "Missed 2").await;
    let mut again = Sse::open(&app, &agent, Some(first_id)).await;
    let (a, first) = again
        .next(Duration::from_secs(5))
        .await
        .expect("first missed");
    let (b, _) = again
        .next(Duration::from_secs(5))
        .await
        .expect("second missed");
    assert!(first_id < a && a < b);
    assert_eq!(first["notification_type"], "ticket_created");
    assert!(
        again.next(Duration::from_millis(1500)).await.is_none(),
        "nothing else, and nothing of other users"
    );
}

#[tokio::test]
async fn the_stream_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.client
            .get(app.url("/api/v1/notifications/stream"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.client
            .get(app.url("/api/v1/notifications/stream?token=forged"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn ws_status(app: &TestApp, token: Option<&str>) -> u16 {
    let url = format!(
        "{}/api/v1/audit-logs/ws{}",
        app.base.replace("http", "ws"),
        token.map(|t| format!("?token={t}")).unwrap_or_default()
    );
    match tokio_tungstenite::connect_async(url).await {
        Ok(_) => 101,
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => resp.status().as_u16(),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn the_audit_websocket_refuses_everyone_but_admins() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    assert_eq!(ws_status(&app, None).await, 401);
    assert_eq!(ws_status(&app, Some("forged")).await, 401);
    assert_eq!(ws_status(&app, Some(&agent.token)).await, 403);
    let admin = app.admin_token().await;
    assert_eq!(ws_status(&app, Some(&admin)).await, 101);
}

/// The next audit record pushed on the socket, if one comes within five seconds.
async fn next_record<S>(socket: &mut S) -> Option<Value>
where
    S: futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
        Ok(Some(Ok(Message::Text(t)))) => Some(serde_json::from_str::<Value>(&t).unwrap()),
        _ => None,
    }
}

#[tokio::test]
async fn admins_receive_new_audit_records_filtered_by_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("agent", "agent").await;
    let mut request = format!(
        "{}/api/v1/audit-logs/ws?role_filter=agent",
        app.base.replace("http", "ws")
    )
    .into_client_request()
    .unwrap();
    request
        .headers_mut()
        .insert("Authorization", format!("Bearer {admin}").parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let id = app.ticket(&u.token, "Audited").await["id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{id}/assign"),
        Some(&agent.token),
        Some(json!({})),
    )
    .await;
    let first = next_record(&mut socket).await.expect("the agent's record");
    assert_eq!(
        (
            first["action_type"].clone(),
            first["user"]["role"].clone(),
            first["entity_id"].clone()
        ),
        (json!("UPDATE"), json!("agent"), json!(id))
    );
    // Switch the filter to users: the next user action comes through.
    socket
        .send(Message::Text(r#"{"role_filter": "user"}"#.into()))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    app.ticket(&u.token, "Second").await;
    let second = next_record(&mut socket).await.expect("the user's record");
    assert_eq!(
        (
            second["action_type"].clone(),
            second["user"]["role"].clone()
        ),
        (json!("CREATE"), json!("user"))
    );
}

/// A second instance of `a`'s service: same database and secret, its own port, workers, cache
/// and live feed.
async fn second_instance(a: &TestApp) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = a.settings.clone();
    settings.data_dir = a.settings.data_dir.clone();
    TestApp::spawn_with(settings, dir).await
}

#[tokio::test]
async fn two_instances_on_one_database_behave_as_one_service() {
    let a = TestApp::spawn().await;
    let b = second_instance(&a).await;
    assert_ne!(a.base, b.base);
    let admin = a.admin_token().await;
    let u = a.user("teacher", "user").await;
    let agent = b.user("agent", "agent").await;

    // Both serve the same data, and a token from one works on the other.
    let id = a.ticket(&u.token, "Через A").await["id"].as_i64().unwrap();
    let (status, t) = b
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(
        (status, t["title"].clone()),
        (StatusCode::OK, json!("Через A"))
    );

    // Live notifications and audit records reach clients connected to the other instance.
    a.jobs_settled().await;
    let mut stream = Sse::open(&b, &agent, None).await;
    let mut request = format!("{}/api/v1/audit-logs/ws", b.base.replace("http", "ws"))
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("Authorization", format!("Bearer {admin}").parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let started = tokio::time::Instant::now();
    let second = a.ticket(&u.token, "Снова через A").await["id"]
        .as_i64()
        .unwrap();
    let (_, note) = stream
        .next(Duration::from_secs(5))
        .await
        .expect("the notification reaches B's stream");
    assert_eq!(note["related_id"], second);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let record = next_record(&mut socket)
        .await
        .expect("the audit record reaches B's socket");
    assert_eq!(
        (record["entity_id"].clone(), record["action_type"].clone()),
        (json!(second), json!("CREATE"))
    );

    // A session ended on one instance is refused by the other, even where it was cached.
    let session = b.token("teacher", fixdesk_tests::USER_PASSWORD).await;
    assert_eq!(
        b.req(Method::GET, "/api/v1/users/me/", Some(&session))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        a.req(Method::POST, "/api/v1/auth/logout", Some(&session))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        b.req(Method::GET, "/api/v1/users/me/", Some(&session))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // So is a deactivated user's every session.
    let (status, _) = a
        .call(
            Method::PUT,
            &format!("/api/v1/users/{}", agent.id),
            Some(&admin),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        b.req(Method::GET, "/api/v1/users/me/", Some(&agent.token))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // A job is claimed by exactly one of them.
    let job = a.export(&admin, json!({})).await;
    let job_id = job["id"].as_i64().unwrap();
    let mut state = String::new();
    for _ in 0..100 {
        let (_, j) = b
            .call(
                Method::GET,
                &format!("/api/v1/exports/{job_id}"),
                Some(&admin),
                None,
            )
            .await;
        state = j["state"].as_str().unwrap_or_default().to_string();
        if state == "done" {
            assert_eq!(j["row_count"], 2);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(state, "done");
    assert_eq!(
        a.count(&format!("SELECT attempts FROM jobs WHERE id = {job_id}"))
            .await,
        1,
        "run once, by one instance"
    );
}

#[tokio::test]
async fn a_notification_stream_ends_when_its_session_is_revoked_on_another_instance() {
    let a = TestApp::spawn().await;
    let b = second_instance(&a).await;
    let u = a.user("teacher", "user").await;
    let mut on_a = Sse::open(&a, &u, None).await;
    assert!(
        !on_a.ends_within(Duration::from_millis(300)).await,
        "open while signed in"
    );
    let logout = b
        .status(Method::POST, "/api/v1/auth/logout", Some(&u.token), None)
        .await;
    assert_eq!(logout, StatusCode::OK);
    assert!(
        on_a.ends_within(Duration::from_secs(2)).await,
        "the stream on the other instance ends within a second or so"
    );
    // The stream of a session that merely shares the user stays open.
    let admin = a.admin_token().await;
    let again = TestUser {
        token: a.token("teacher", fixdesk_tests::USER_PASSWORD).await,
        ..u.clone()
    };
    let other = TestUser {
        token: a.token("teacher", fixdesk_tests::USER_PASSWORD).await,
        ..u.clone()
    };
    let mut kept = Sse::open(&a, &again, None).await;
    a.status(
        Method::POST,
        "/api/v1/auth/logout",
        Some(&other.token),
        None,
    )
    .await;
    assert!(
        !kept.ends_within(Duration::from_millis(1500)).await,
        "another session's logout"
    );
    // Deactivation ends every session of the user, so the stream too.
    let (status, _) = a
        .call(
            Method::PUT,
            &format!("/api/v1/users/{}", u.id),
            Some(&admin),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        kept.ends_within(Duration::from_secs(2)).await,
        "deactivated"
    );
}

/// Opens the audit websocket with `token`.
async fn audit_socket(
    app: &TestApp,
    token: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = format!(
        "{}/api/v1/audit-logs/ws?token={token}",
        app.base.replace("http", "ws")
    );
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

/// Whether the server closes the socket within two seconds (records before are skipped).
async fn closes<S>(socket: &mut S) -> bool
where
    S: futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return true,
            Ok(Some(Ok(_))) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn the_audit_websocket_closes_when_its_admin_is_demoted_deactivated_or_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let second = app.user("second_admin", "admin").await;
    let path = format!("/api/v1/users/{}", second.id);
    let sign_in = || app.token("second_admin", fixdesk_tests::USER_PASSWORD);
    let change = |body: Value| app.call(Method::PUT, &path, Some(&admin), Some(body));

    let mut socket = audit_socket(&app, &second.token).await;
    assert!(!closes(&mut socket).await, "open while an admin");
    assert_eq!(change(json!({"role": "agent"})).await.0, StatusCode::OK);
    assert!(closes(&mut socket).await, "demoted");

    assert_eq!(change(json!({"role": "admin"})).await.0, StatusCode::OK);
    let mut socket = audit_socket(&app, &sign_in().await).await;
    assert_eq!(change(json!({"is_active": false})).await.0, StatusCode::OK);
    assert!(closes(&mut socket).await, "deactivated");

    assert_eq!(change(json!({"is_active": true})).await.0, StatusCode::OK);
    let mut socket = audit_socket(&app, &sign_in().await).await;
    let deleted = app.status(Method::DELETE, &path, Some(&admin), None).await;
    assert!(deleted.is_success(), "{deleted}");
    assert!(closes(&mut socket).await, "deleted");
}

#[tokio::test]
async fn on_postgresql_a_dropped_commit_listener_comes_back_and_nothing_is_missed() {
    if !fixdesk_tests::on_postgres() {
        return; // LISTEN/NOTIFY is PostgreSQL's; SQLite instances poll
    }
    let a = TestApp::spawn().await;
    let b = second_instance(&a).await;
    let u = a.user("teacher", "user").await;
    let agent = b.user("agent", "agent").await;
    let listeners = "SELECT COUNT(*) FROM pg_stat_activity \
                     WHERE datname = current_database() AND query LIKE 'LISTEN%fixdesk_commits%'";
    assert_eq!(a.count(listeners).await, 2, "each instance listens");
    let mut stream = Sse::open(&b, &agent, None).await;

    // The database drops both listeners' connections (a restart, a network cut).
    let dropped = a
        .count(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%fixdesk_commits%') t",
        )
        .await;
    assert_eq!(dropped, 2);
    let id = a.ticket(&u.token, "Пока никто не слушал").await["id"]
        .as_i64()
        .unwrap();
    let (_, note) = stream
        .next(Duration::from_secs(10))
        .await
        .expect("the notification still reaches B");
    assert_eq!(note["related_id"], id);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while a.count(listeners).await < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the listeners did not come back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
