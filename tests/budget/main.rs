//! The performance gate: what one request of each hot endpoint costs, in numbers a noisy
//! machine cannot move — SQL statements and heap allocations — checked against the budget
//! committed in `budget.rs`. Timings belong to the benchmarks (`cargo bench --bench load`);
//! these counts are what CI can hold a change to.
//!
//! The server runs in this process on 127.0.0.1 (job workers off, so nothing else writes), a
//! plain blocking client on its own thread sends prepared requests over one keep-alive
//! connection without allocating, and a counting allocator counts every allocation of the
//! process. Each request's cost is what the counters moved between sending it and reading its
//! whole answer; the median of many requests drops the rare one that shares its window with
//! the live feed's background read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod budget;
mod counting;
mod raw_client;

use std::time::Duration;

use fixdesk_tests::TestApp;
use reqwest::Method;
use serde_json::json;

use crate::{budget::BUDGET, counting::allocations, raw_client::RawClient};

/// Requests measured per endpoint (after as many to warm caches and pools).
const SAMPLES: usize = 61;

/// What one request cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Cost {
    statements: u64,
    allocations: u64,
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

/// The median cost of `request` (sent `SAMPLES` times after a warm-up).
async fn measure(app: &TestApp, request: Vec<u8>, expect: u16) -> Cost {
    let db = app.service.database().clone();
    let addr = app.url("").trim_start_matches("http://").to_string();
    tokio::task::spawn_blocking(move || {
        let mut client = RawClient::connect(&addr);
        for _ in 0..SAMPLES {
            assert_eq!(client.send(&request), expect, "warm-up answer");
        }
        let (mut statements, mut allocs) = (Vec::new(), Vec::new());
        for _ in 0..SAMPLES {
            let (s0, a0) = (db.statements(), allocations());
            let status = client.send(&request);
            let (s1, a1) = (db.statements(), allocations());
            assert_eq!(status, expect, "answer");
            statements.push(s1 - s0);
            allocs.push(a1 - a0);
        }
        Cost {
            statements: median(statements),
            allocations: median(allocs),
        }
    })
    .await
    .expect("client thread")
}

/// A prepared HTTP/1.1 request.
fn request(method: &str, path: &str, token: &str, body: Option<&str>) -> Vec<u8> {
    let mut r = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nAccept-Encoding: br, gzip\r\n"
    );
    if let Some(b) = body {
        r.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}",
            b.len()
        ));
    } else {
        r.push_str("\r\n");
    }
    r.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_endpoints_stay_within_their_budget() {
    if fixdesk_tests::on_postgres() {
        // The budget is SQLite's: PostgreSQL takes a batch of writes statement by statement,
        // so its counts differ by design. This gate runs in the SQLite pass of the suite.
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.job_workers = 0;
    settings.rate_limit_per_minute = 1_000_000_000;
    let app = TestApp::spawn_with(settings, dir).await;
    let admin = app.admin_token().await;
    let user = app.user("budget_user", "user").await;
    // A hundred tickets, so a list page is a full page.
    let mut last = 0;
    for n in 0..100 {
        last = app.ticket(&user.token, &format!("Принтер {n}")).await["id"]
            .as_i64()
            .unwrap();
    }
    let created = json!({
        "title": "Не печатает",
        "description": "Принтер в кабинете 204 мнёт каждый второй лист и показывает ошибку 0x0042.",
        "priority": "high",
        "room_number": "204"
    })
    .to_string();
    let login = format!(
        "POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\nusername=budget_user&password={}",
        "username=budget_user&password=".len() + user.password.len(),
        user.password
    )
    .into_bytes();
    let endpoints: Vec<(&str, Vec<u8>, u16)> = vec![
        ("GET /health", request("GET", "/health", &admin, None), 200),
        (
            "GET /api/v1/tickets/{id}",
            request("GET", &format!("/api/v1/tickets/{last}"), &admin, None),
            200,
        ),
        (
            "GET /api/v1/statistics/tickets-summary",
            request("GET", "/api/v1/statistics/tickets-summary", &admin, None),
            200,
        ),
        (
            "GET /api/v1/tickets/ (100 rows)",
            request("GET", "/api/v1/tickets/?limit=100", &admin, None),
            200,
        ),
        (
            "POST /api/v1/tickets/",
            request("POST", "/api/v1/tickets/", &user.token, Some(&created)),
            201,
        ),
        ("POST /api/v1/auth/token", login, 200),
    ];
    let mut report = Vec::new();
    let mut over = Vec::new();
    for (name, req, expect) in endpoints {
        let cost = measure(&app, req, expect).await;
        let budget = BUDGET
            .iter()
            .find(|b| b.endpoint == name)
            .unwrap_or_else(|| panic!("no budget for {name}"));
        report.push(format!(
            "{name}: {} statements (budget {}), {} allocations (budget {})",
            cost.statements, budget.statements, cost.allocations, budget.allocations
        ));
        if cost.statements > budget.statements
            || cost.allocations > budget.allocations + budget.allocations / 10
        {
            over.push(name);
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        over.is_empty(),
        "over budget: {over:?}\n{}\n(statements must not grow; allocations may by 10 %)",
        report.join("\n")
    );
    // The requests were answered by this server, not lost on the way: the check above could
    // otherwise pass on a dead one.
    let r = app
        .req(Method::GET, "/api/v1/tickets/?limit=1", Some(&admin))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["x-total-count"],
        (100 + 2 * SAMPLES).to_string()
    );
}
