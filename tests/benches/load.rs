//! Load benchmark: `wrk -t2 -c64` against the release `fixdesk` server, as a separate process,
//! on databases of 10,000 and 1,000,000 tickets (`FIXDESK_BENCH_SIZES`, comma-separated). It
//! measures the ticket list (100 rows), one ticket, the statistics summary, creating a ticket
//! (with its audit row and counters), `/health`, and the web interface's ticket list (all
//! tickets, and the agent's landing view: the queue and their open tickets), full-text search
//! (three messages a ticket: a common word, one act number; the list's `search=`; the searches
//! again with one connection, what one person waits): requests per second, p50 and p99
//! latency, and the server's peak memory. SQLite by default; `FIXDESK_BENCH_DATABASE_URL` (a
//! PostgreSQL server's `postgres://…/postgres`) runs it there, each size in a fresh database.
//!
//! `cargo bench -p fixdesk-tests --bench load` (needs `wrk`: `apt-get install wrk`). It
//! builds the server with `cargo build --release`. Timings are reported, never asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
    fmt::Write as _,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fixdesk_service::{Fixdesk, ServiceSettings};
use sea_orm::ConnectionTrait;

const PASSWORD: &str = "bench-admin-password";

/// Fills a fresh fixdesk database with `n` tickets of the admin's, then recounts the counters
/// as `fixdesk-migrate stats rebuild` would.
async fn seed(url: &str, data: &std::path::Path, n: u64) {
    let mut settings = ServiceSettings::new(url.to_string());
    settings.data_dir = data.to_path_buf();
    settings.job_workers = 0;
    let fixdesk = Fixdesk::start(settings).await.unwrap();
    fixdesk.ensure_admin(Some(PASSWORD)).await.unwrap();
    let started = Instant::now();
    let pg = url.starts_with("postgres");
    // Both dialects: a generated series of rows, spread over 600 days.
    let series = if pg {
        format!("generate_series(1, {n}) AS n(i)")
    } else {
        format!(
            "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s) AS n"
        )
    };
    let day = |offset: &str| {
        if pg {
            format!("(TIMESTAMP '2025-01-01' + ((i % 600) + {offset}) * INTERVAL '1 day')")
        } else {
            format!("datetime('2025-01-01', '+' || ((i % 600) + {offset}) || ' days')")
        }
    };
    // 300 items, each with a third of a percent of the tickets: the health figures read the
    // counters of all of them.
    let items = format!(
        "INSERT INTO equipment (name, type, model, location, status, created_at, created_by_id, search_text) \
         SELECT 'Printer ' || i, 'printer', 'Model ' || (i % 12), 'Room ' || (i % 40), 'active', {created}, 1, 'printer ' || i \
         FROM {series}",
        created = day("0"),
        series = series.replace(&n.to_string(), "300"),
    );
    fixdesk
        .database()
        .writer()
        .execute_unprepared(&items)
        .await
        .unwrap();
    let sql = format!(
        "INSERT INTO tickets (title, description, status, priority, resolution, room_number, \
         created_at, updated_at, closed_at, status_changed_at, is_hidden_for_creator, creator_id, \
         messages_count, search_text, sla_resolution_due_at, sla_due_open, equipment_id) \
         SELECT 'Generated ticket ' || i, 'Printer in room ' || (i % 300) || ' does not work', \
         i % 3, (i / 3) % 3, CASE i % 3 WHEN 2 THEN 'Done' END, CAST(100 + i % 300 AS TEXT), \
         {created}, {updated}, CASE i % 3 WHEN 2 THEN {updated} END, {updated}, false, 1, 0, \
         'generated ticket ' || i || ' printer in room ' || (i % 300) || ' does not work', \
         {due}, CASE i % 3 WHEN 2 THEN NULL ELSE {due} END, 1 + i % 300 \
         FROM {series}",
        created = day("0"),
        updated = day("1"),
        // Resolution due a day and a half after filing; open tickets' clocks run.
        due = day("1.5"),
    );
    fixdesk
        .database()
        .writer()
        .execute_unprepared(&sql)
        .await
        .unwrap();
    // Three messages a ticket (the full-text index takes each through its trigger): a part
    // named in a fifth of them, a room, and an act number found in one.
    let messages = format!(
        "INSERT INTO ticket_messages (ticket_id, user_id, message, created_at, is_internal) \
         SELECT 1 + (i - 1) / 3, 1, 'Заменили ' || CASE i % 5 WHEN 0 THEN 'картридж' \
         WHEN 1 THEN 'ролик подачи' WHEN 2 THEN 'блок питания' WHEN 3 THEN 'лампу проектора' \
         ELSE 'кабель' END || ' в кабинете ' || (100 + i % 300) || ', акт ' || i, {created}, false \
         FROM {series}",
        created = day("1"),
        series = series.replace(&n.to_string(), &(3 * n).to_string()),
    );
    fixdesk
        .database()
        .writer()
        .execute_unprepared(&messages)
        .await
        .unwrap();
    fixdesk.operator().rebuild_statistics().await.unwrap();
    if pg {
        fixdesk
            .database()
            .writer()
            .execute_unprepared("ANALYZE")
            .await
            .unwrap();
    }
    println!(
        "seeded {n} tickets and {} messages in {:.1} s",
        3 * n,
        started.elapsed().as_secs_f64()
    );
    fixdesk.database().clone().close().await;
}

/// A fresh PostgreSQL database for one size, next to the one the URL names.
async fn postgres_database(server: &str, name: &str) -> String {
    let admin = sea_orm::Database::connect(server).await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = server.rsplit_once('/').map_or(server, |(b, _)| b);
    format!("{base}/{name}")
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(binary: &std::path::Path, url: &str, data: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let child = Command::new(binary)
            .env("FIXDESK_DATABASE_URL", url)
            .env("FIXDESK_DATA_DIR", data)
            .env("FIXDESK_BIND", format!("127.0.0.1:{port}"))
            .env("FIXDESK_RATE_LIMIT_PER_MINUTE", "1000000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("the fixdesk binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the server did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, base }
    }

    /// Peak and current resident memory, MiB.
    fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }
}

async fn token(base: &str) -> String {
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/token"))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

/// What wrk measured.
struct Measured {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

fn millis(v: &str) -> f64 {
    let (number, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
    let n: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => f64::NAN,
    }
}

fn wrk(
    url: &str,
    token: &str,
    script: Option<&std::path::Path>,
    seconds: u64,
    clients: u32,
) -> Measured {
    let mut cmd = Command::new("wrk");
    let threads = clients.min(2);
    cmd.args([
        &format!("-t{threads}"),
        &format!("-c{clients}"),
        &format!("-d{seconds}s"),
        "--latency",
    ])
    .args(["-H", &format!("Authorization: Bearer {token}")])
    // The same session as the web interface's cookie, for its pages.
    .args(["-H", &format!("Cookie: fixdesk_session={token}")]);
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    let out = cmd
        .arg(url)
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let percentile = |p: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(p))
            .and_then(|l| l.split_whitespace().nth(1))
            .map_or(f64::NAN, millis)
    };
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let errors = text
        .lines()
        .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
        .map(|l| {
            l.split(|c: char| !c.is_ascii_digit())
                .filter_map(|d| d.parse::<u64>().ok())
                .sum::<u64>()
        })
        .sum();
    Measured {
        rps,
        p50_ms: percentile("50%"),
        p99_ms: percentile("99%"),
        errors,
    }
}

#[tokio::main]
async fn main() {
    let sizes: Vec<u64> = std::env::var("FIXDESK_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let seconds: u64 = std::env::var("FIXDESK_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let postgres = std::env::var("FIXDESK_BENCH_DATABASE_URL").ok();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "fixdesk"])
        .current_dir(&root)
        .status()
        .expect("cargo builds the server");
    assert!(status.success(), "release build failed");
    let target = std::env::var("CARGO_TARGET_DIR").map_or_else(|_| root.join("target"), Into::into);
    let binary = target.join("release/fixdesk");

    let engine = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut report = format!(
        "| {engine} | tickets | endpoint | req/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---|---:|---:|---:|---:|\n"
    );
    let mut memory = String::new();
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let url = match &postgres {
            Some(server) => postgres_database(server, &format!("fixdesk_bench_{n}")).await,
            None => dir.path().join("fixdesk.db").display().to_string(),
        };
        seed(&url, &data, n).await;
        let server = Server::start(&binary, &url, &data);
        let token = token(&server.base).await;
        let script = dir.path().join("create.lua");
        std::fs::write(
            &script,
            r#"wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title": "Benchmark ticket", "description": "The projector flickers", "room_number": "101", "priority": "high"}'
"#,
        )
        .unwrap();
        let search_word = format!(
            "{}/api/v1/search?q=%D0%BA%D0%B0%D1%80%D1%82%D1%80%D0%B8%D0%B4%D0%B6%D0%B8",
            server.base
        );
        let search_act = format!(
            "{}/api/v1/search?q=%D0%B0%D0%BA%D1%82%20{}",
            server.base,
            3 * n / 2 + 1
        );
        let runs: [(&str, String, Option<&std::path::Path>); 14] = [
            (
                "list, 100 rows",
                format!("{}/api/v1/tickets/?limit=100", server.base),
                None,
            ),
            (
                "one ticket",
                format!("{}/api/v1/tickets/{}", server.base, n / 2),
                None,
            ),
            (
                "statistics summary",
                format!("{}/api/v1/statistics/tickets-summary", server.base),
                None,
            ),
            (
                "create ticket",
                format!("{}/api/v1/tickets/", server.base),
                Some(&script),
            ),
            ("/health", format!("{}/health", server.base), None),
            (
                "web list page, all tickets",
                format!("{}/ui/tickets?view=all", server.base),
                None,
            ),
            (
                "web list page, agent's landing view",
                format!("{}/ui/tickets?view=work", server.base),
                None,
            ),
            (
                "list by due time, 100 rows",
                format!("{}/api/v1/tickets/?sort=due_at&limit=100", server.base),
                None,
            ),
            (
                "web list page, overdue view",
                format!("{}/ui/tickets?view=overdue", server.base),
                None,
            ),
            (
                "equipment health, per item, 365 days",
                format!(
                    "{}/api/v1/equipment/reliability?by=item&days=365",
                    server.base
                ),
                None,
            ),
            (
                "equipment health, per location, 365 days",
                format!(
                    "{}/api/v1/equipment/reliability?by=location&days=365",
                    server.base
                ),
                None,
            ),
            (
                "search, a word in a fifth of the messages",
                search_word.clone(),
                None,
            ),
            ("search, one act number", search_act.clone(), None),
            (
                "list search=, a word in a fifth of the messages",
                format!(
                    "{}/api/v1/tickets/?limit=100&search=%D0%BA%D0%B0%D1%80%D1%82%D1%80%D0%B8%D0%B4%D0%B6",
                    server.base
                ),
                None,
            ),
        ];
        // Searches once more with one connection: what one person waits, where 64 connections
        // on two cores mostly measure the queue.
        let one_client = [
            (
                "search, a word in a fifth of the messages, one client",
                search_word,
            ),
            ("search, one act number, one client", search_act),
        ];
        let runs = runs
            .into_iter()
            .map(|(name, url, script)| (name, url, script, 64))
            .chain(one_client.map(|(name, url)| (name, url, None, 1)));
        for (name, url, script, clients) in runs {
            let m = wrk(&url, &token, script, seconds, clients);
            let line = format!(
                "| | {n} | {name} | {:.0} | {:.2} | {:.2} | {} |\n",
                m.rps, m.p50_ms, m.p99_ms, m.errors
            );
            print!("{line}");
            report.push_str(&line);
        }
        let (peak, now) = server.memory();
        writeln!(
            memory,
            "{engine}, {n} tickets: server peak memory {peak:.0} MiB, {now:.0} MiB at the end"
        )
        .unwrap();
    }
    println!("\n{report}\n{memory}");
    let out = target.join("load-report.md");
    std::fs::write(&out, format!("{report}\n{memory}")).unwrap();
    println!("report written to {}", out.display());
}
