//! Connections a client opens and never uses, or feeds a byte at a time, cannot crowd out
//! everybody else: each address holds a bounded number, and a request head must arrive in
//! time.

use std::{net::IpAddr, time::Duration};

use fixdesk_tests::{ADMIN_PASSWORD, TestApp, settings_for};
use reqwest::StatusCode;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

async fn app(change: impl FnOnce(&mut fixdesk_app::Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_for(dir.path());
    change(&mut settings);
    TestApp::spawn_with(settings, dir).await
}

fn port(app: &TestApp) -> u16 {
    app.base.rsplit(':').next().unwrap().parse().unwrap()
}

/// What the server sends on `stream` before closing it, if it closes within `wait`.
async fn answer_before_close(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(wait, stream.read_to_end(&mut got)).await;
    match read {
        Ok(_) => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(_) => None,
    }
}

/// A client on another loopback address (127.0.0.2), as a different machine would be.
fn other_client() -> reqwest::Client {
    reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<IpAddr>().unwrap())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn silent_and_trickling_connections_are_closed_after_the_header_timeout() {
    let app = app(|s| s.header_timeout_secs = 1).await;
    let addr = format!("127.0.0.1:{}", port(&app));
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    let mut trickling = TcpStream::connect(&addr).await.unwrap();
    trickling
        .write_all(b"GET /health HTTP/1.1\r\n")
        .await
        .unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if trickling.write_all(b"X-Slow: 1\r\n").await.is_err() {
                return true; // closed by the server
            }
        }
        false
    });
    assert!(
        answer_before_close(&mut silent, Duration::from_secs(3))
            .await
            .is_some(),
        "a connection that sends nothing is closed"
    );
    assert!(
        trickle.await.unwrap(),
        "a head that never completes is cut off"
    );

    // A kept-alive connection idle for longer than the timeout is closed too; an active one
    // is served normally.
    let mut kept = TcpStream::connect(&addr).await.unwrap();
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = kept.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let rest = answer_before_close(&mut kept, Duration::from_secs(3)).await;
    assert!(rest.is_some(), "idle keep-alive connection closed");
}

#[tokio::test]
async fn one_address_holding_many_connections_cannot_crowd_out_others() {
    let app = app(|s| s.max_connections_per_client = 40).await;
    let addr = format!("127.0.0.1:{}", port(&app));
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..300 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        match answer_before_close(&mut s, Duration::from_millis(30)).await {
            Some(answer) => {
                assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
                assert!(answer.contains("retry-after: 1"), "{answer}");
                refused += 1;
            }
            None => held.push(s),
        }
    }
    assert_eq!(held.len(), 40, "the address holds exactly its bound");
    assert_eq!(refused, 260);

    // Someone else is served at once, health and sign-in alike.
    let other = other_client();
    let health = other
        .get(format!("http://127.0.0.1:{}/health", port(&app)))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let login = other
        .post(format!("http://127.0.0.1:{}/api/v1/auth/token", port(&app)))
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);

    // Places come back when connections end.
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
}

/// Reads one answer's head (up to the blank line) from `stream`, lower-cased.
async fn answer_head(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while !got.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut byte))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n, 1, "the server closed before answering");
        got.push(byte[0]);
    }
    String::from_utf8_lossy(&got).to_lowercase()
}

#[tokio::test]
async fn an_answer_given_before_the_body_arrived_tells_the_client_to_reconnect() {
    let app = app(|_| {}).await;
    let addr = format!("127.0.0.1:{}", port(&app));

    // Refused (no token) while the body is still on its way: hyper cannot keep this
    // connection, and the answer says so instead of leaving the client to find out.
    let mut refused = TcpStream::connect(&addr).await.unwrap();
    refused
        .write_all(
            b"POST /api/v1/tickets/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 200\r\n\r\n{\"title\":",
        )
        .await
        .unwrap();
    let head = answer_head(&mut refused).await;
    assert!(head.starts_with("http/1.1 401"), "{head}");
    assert!(head.contains("connection: close"), "{head}");

    // A request whose body was read keeps its connection for the next one.
    let mut kept = TcpStream::connect(&addr).await.unwrap();
    let body = format!("username=admin&password={ADMIN_PASSWORD}");
    kept.write_all(
        format!(
            "POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let head = answer_head(&mut kept).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("connection: close"), "{head}");
}
