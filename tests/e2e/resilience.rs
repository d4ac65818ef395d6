//! Under pressure: rate limits (429 with their headers) and the in-flight bound (503 at once,
//! never a hang or a 500).

use std::time::{Duration, Instant};

use futures::StreamExt;

use fixdesk_tests::{TestApp, header, settings_for};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn app_with(change: impl FnOnce(&mut fixdesk_app::Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_for(dir.path());
    change(&mut settings);
    TestApp::spawn_with(settings, dir).await
}

#[tokio::test]
async fn past_the_limit_clients_get_429_with_the_headers_and_preflights_do_not_count() {
    let app = app_with(|s| s.rate_limit_per_minute = 5).await;
    let first = app.req(Method::GET, "/", None).send().await.unwrap();
    assert_eq!(
        (
            header(&first, "x-ratelimit-limit"),
            header(&first, "x-ratelimit-remaining")
        ),
        ("5".into(), "4".into())
    );
    let reset: u64 = header(&first, "x-ratelimit-reset").parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(reset > now && reset <= now + 60);
    for _ in 0..4 {
        assert_eq!(
            app.req(Method::GET, "/", None)
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
    }
    let refused = app
        .req(Method::GET, "/", None)
        .header("Origin", "http://localhost:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&refused, "x-ratelimit-remaining"), "0");
    assert!(header(&refused, "retry-after").parse::<u64>().unwrap() >= 1);
    assert_eq!(
        header(&refused, "access-control-allow-origin"),
        "http://localhost:3000",
        "a browser can read the refusal"
    );
    assert_eq!(
        refused.json::<serde_json::Value>().await.unwrap(),
        json!({"detail": "Слишком много запросов, повторите попытку позже"})
    );
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/tickets/"))
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.status(),
        StatusCode::OK,
        "preflights are not counted"
    );
    assert_eq!(
        app.req(Method::GET, "/health", None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK,
        "nor the probes"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_and_each_token_has_its_own_window() {
    let app = app_with(|s| {
        s.rate_limit_per_minute = 3;
        s.trusted_proxies = "127.0.0.1".into();
    })
    .await;
    // The proxy appends the address it was called from; what stands left of it is the
    // client's own writing and is not believed.
    let from = |ip: &'static str| {
        app.req(Method::GET, "/", None)
            .header("X-Forwarded-For", format!("10.9.9.9, {ip}"))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(from("10.0.0.1").await.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(
        from("10.0.0.1").await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        from("10.0.0.2").await.unwrap().status(),
        StatusCode::OK,
        "another client behind the proxy"
    );
    // A token is limited however many addresses it comes from.
    let token = app.admin_token().await; // from 127.0.0.1 itself
    let ips = ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4"];
    let mut statuses = Vec::new();
    for ip in ips {
        let r = app
            .req(Method::GET, "/api/v1/users/me/", Some(&token))
            .header("X-Forwarded-For", ip)
            .send()
            .await
            .unwrap();
        statuses.push(r.status());
    }
    assert_eq!(
        statuses,
        vec![
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // The audit log records the forwarded address (the one the proxy appended).
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("X-Forwarded-For", "6.6.6.6, 10.5.5.5")
        .form(&[
            ("username", "admin"),
            ("password", fixdesk_tests::ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let ips = app
        .sql("SELECT ip_address FROM audit_logs WHERE action_type = 'LOGIN' ORDER BY id")
        .await;
    assert_eq!(ips, vec![json!("127.0.0.1"), json!("10.5.5.5")]);
}

#[tokio::test]
async fn a_client_behind_a_trusted_proxy_cannot_choose_its_own_address() {
    let app = app_with(|s| {
        s.rate_limit_per_minute = 60;
        s.trusted_proxies = "127.0.0.1, 10.200.0.0/16".into();
    })
    .await;
    app.user("victim", "user").await;
    // A new invented entry on the left every time, as an attacker would write it; the proxies
    // (a trusted network, then the local one) append the real client.
    let mut statuses = Vec::new();
    for i in 0..150 {
        let r = app
            .req(Method::GET, "/", None)
            .header(
                "X-Forwarded-For",
                format!("10.9.{}.{}, 198.51.100.7, 10.200.0.1", i % 250, i % 7),
            )
            .send()
            .await
            .unwrap();
        statuses.push(r.status());
    }
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(limited, 90, "one client, one window: {statuses:?}");
    // Nor can it get past the sign-in bound by rotating the invented entry.
    let mut answers = Vec::new();
    for i in 0..12 {
        let r = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .header("X-Forwarded-For", format!("10.8.{i}.{i}, 198.51.100.8"))
            .form(&[("username", "victim"), ("password", "wrong-guess")])
            .send()
            .await
            .unwrap();
        answers.push(r.status());
    }
    assert_eq!(answers[9], StatusCode::UNAUTHORIZED);
    assert_eq!(answers[10], StatusCode::TOO_MANY_REQUESTS, "{answers:?}");
    let recorded = app
        .sql("SELECT DISTINCT ip_address FROM audit_logs WHERE action_type = 'LOGIN_FAILED'")
        .await;
    assert_eq!(
        recorded,
        vec![json!("198.51.100.8")],
        "the audit log has the real address"
    );
}

#[tokio::test]
async fn metrics_behind_a_local_proxy_answer_only_local_clients() {
    let app = app_with(|s| s.trusted_proxies = "127.0.0.1".into()).await;
    let metrics = |forwarded: Option<&'static str>| {
        let mut r = app.req(Method::GET, "/metrics", None);
        if let Some(f) = forwarded {
            r = r.header("X-Forwarded-For", f);
        }
        r.send()
    };
    assert_eq!(
        metrics(Some("203.0.113.5")).await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "a remote client through the local proxy"
    );
    assert_eq!(
        metrics(Some("203.0.113.5, 127.0.0.1"))
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(metrics(None).await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        metrics(Some("127.0.0.1")).await.unwrap().status(),
        StatusCode::OK,
        "a scraper on the proxy's own machine"
    );
}

#[tokio::test]
async fn past_the_in_flight_bound_requests_get_503_at_once_while_probes_answer() {
    let app = app_with(|s| {
        s.max_in_flight = 1;
        s.queue_wait_ms = 50;
    })
    .await;
    let token = app.admin_token().await;
    // A request whose body trickles in holds the only place for about a second.
    let body = futures::stream::iter(0..2).then(|i| async move {
        if i == 1 {
            tokio::time::sleep(Duration::from_millis(1200)).await;
        }
        Ok::<_, std::io::Error>(if i == 0 {
            br#"{"title": "slow", "#.to_vec()
        } else {
            br#""description": "d", "room_number": "1"}"#.to_vec()
        })
    });
    let slow = app
        .req(Method::POST, "/api/v1/tickets/", Some(&token))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let slow = tokio::spawn(slow);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let r = app
        .req(Method::GET, "/api/v1/users/me/", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "shed at once, not queued: {:?}",
        started.elapsed()
    );
    assert_eq!(header(&r, "retry-after"), "1");
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap(),
        json!({"detail": "Сервер перегружен, повторите попытку позже"})
    );
    assert_eq!(
        app.req(Method::GET, "/health", None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let done = slow.await.unwrap().unwrap();
    assert_eq!(
        done.status(),
        StatusCode::CREATED,
        "the request that held the place completes"
    );
    assert_eq!(
        app.req(Method::GET, "/api/v1/users/me/", Some(&token))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_login_flood_is_shed_while_everything_else_keeps_answering() {
    let app = app_with(|s| {
        s.hash_workers = 1;
        s.hash_queue = 1;
    })
    .await;
    let token = app.admin_token().await;
    let logins = (0..12).map(|_| {
        app.client
            .post(app.url("/api/v1/auth/token"))
            .form(&[
                ("username", "admin"),
                ("password", fixdesk_tests::ADMIN_PASSWORD),
            ])
            .send()
    });
    let others = (0..12).map(|_| {
        app.req(Method::GET, "/api/v1/users/me/", Some(&token))
            .send()
    });
    let (logins, others) = tokio::join!(
        futures::future::join_all(logins),
        futures::future::join_all(others)
    );
    let login_statuses: Vec<StatusCode> = logins.into_iter().map(|r| r.unwrap().status()).collect();
    assert!(
        login_statuses.contains(&StatusCode::SERVICE_UNAVAILABLE),
        "{login_statuses:?}"
    );
    assert!(
        login_statuses.contains(&StatusCode::OK),
        "{login_statuses:?}"
    );
    assert!(
        login_statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::SERVICE_UNAVAILABLE)
    );
    for r in others {
        assert_eq!(
            r.unwrap().status(),
            StatusCode::OK,
            "the rest of the API is not held up by password hashing"
        );
    }
}

#[tokio::test]
async fn a_request_that_takes_too_long_gets_408_and_leaves_nothing_behind() {
    let app = app_with(|s| s.request_timeout_ms = 500).await;
    let user = app.user("user1", "user").await;
    // A client that sends half a body and then stalls.
    let chunks = futures::stream::iter([
        Ok::<_, std::io::Error>(br#"{"title": "Stalled", "description": "x", "#.to_vec()),
        Ok(br#""room_number": "101"}"#.to_vec()),
    ])
    .then(|chunk| async move {
        if chunk.as_ref().is_ok_and(|c| c.starts_with(b"\"room")) {
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        chunk
    });
    let started = Instant::now();
    let r = app
        .req(Method::POST, "/api/v1/tickets/", Some(&user.token))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::REQUEST_TIMEOUT);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered at the deadline"
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("Превышено время"));
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
    // Everything that answers in time still does.
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(json!({"title": "В срок", "description": "x", "room_number": "101"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}
