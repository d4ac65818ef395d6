//! Import rate for a large legacy database: the legacy fixture plus generated tickets
//! (1,000,000 by default; `FIXDESK_BENCH_TICKETS` changes it), imported into a fresh SQLite
//! database. Run with `cargo bench -p fixdesk-tests --bench import_legacy`; it reports rows per
//! second and the process's peak memory. Numbers go in the README, never into tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use fixdesk_service::{Fixdesk, ImportOptions, ServiceSettings, connect_database};
use sea_orm::ConnectionTrait;

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let tickets: u64 = std::env::var("FIXDESK_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let legacy = dir.path().join("ticket_system.db");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/legacy-ticket-system.db");
    std::fs::copy(&fixture, &legacy).expect("the legacy fixture");

    let started = Instant::now();
    let db = connect_database(&legacy.display().to_string(), &Default::default())
        .await
        .unwrap();
    db.writer()
        .execute_unprepared(&format!(
            "INSERT INTO tickets (id, title, description, status, priority, resolution, room_number, created_at, updated_at, \
             is_hidden_for_creator, creator_id, assigned_to_id, category_id, equipment_id) \
             WITH RECURSIVE n(i) AS (SELECT 100000 UNION ALL SELECT i + 1 FROM n WHERE i < 100000 + {tickets} - 1) \
             SELECT i, 'Generated ticket ' || i, 'Printer in room ' || (i % 300) || ' does not work', \
             CASE i % 3 WHEN 0 THEN 'NEW' WHEN 1 THEN 'IN_PROGRESS' ELSE 'CLOSED' END, \
             CASE i % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high' ELSE 'urgent' END, \
             CASE i % 3 WHEN 2 THEN 'Done' END, CAST(100 + i % 300 AS TEXT), \
             datetime('2025-01-01', '+' || (i % 600) || ' days'), datetime('2025-01-02', '+' || (i % 600) || ' days'), \
             0, 5 + i % 10, CASE i % 3 WHEN 0 THEN NULL ELSE 2 + i % 3 END, 1 + i % 7, CASE i % 5 WHEN 0 THEN 2 END FROM n"
        ))
        .await
        .unwrap();
    db.close().await;
    println!(
        "generated {tickets} legacy tickets in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut settings = ServiceSettings::new(dir.path().join("fixdesk.db").display().to_string());
    settings.data_dir = dir.path().join("data");
    let fixdesk = Fixdesk::start(settings).await.unwrap();
    let started = Instant::now();
    let options = ImportOptions {
        source: legacy.display().to_string(),
        dry_run: false,
        uploads: None,
    };
    let report = fixdesk
        .operator()
        .import_legacy(&options, &mut |_| {})
        .await
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let rows: u64 = report.tables.iter().map(|t| t.2).sum();
    let imported_tickets = report
        .tables
        .iter()
        .find(|t| t.0 == "tickets")
        .map_or(0, |t| t.2);
    println!("imported {rows} rows ({imported_tickets} tickets) in {seconds:.1} s");
    println!(
        "rate: {:.0} tickets/s, {:.0} rows/s",
        imported_tickets as f64 / seconds,
        rows as f64 / seconds
    );
    println!("repairs reported: {}", report.repairs.len());
    if let Some(mib) = peak_memory_mib() {
        println!("peak memory: {mib:.0} MiB");
    }
}
