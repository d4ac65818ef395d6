//! Files in the database, the rate budget shared by instances, and the audit log's chain.

use chrono::Duration;
use fixdesk_domain::{AuditAction, AuditEntity, ChainProblem, ClientInfo, NewAuditEntry, Role};
use fixdesk_repository::{audit, rate_windows, stored_files};
use sea_orm::ConnectionTrait;

use crate::{at, db, person};

#[tokio::test]
async fn a_stored_file_streams_back_in_order_and_only_once_complete() {
    let db = db().await;
    let now = at("2026-12-01 09:00:00");
    stored_files::begin(&db, "uploads/a.png", now, now - Duration::hours(1))
        .await
        .unwrap();
    for (seq, bytes) in [(0, b"ab".to_vec()), (1, b"cd".to_vec()), (2, b"e".to_vec())] {
        stored_files::append(&db, "uploads/a.png", seq, bytes)
            .await
            .unwrap();
    }
    assert!(
        !stored_files::exists(&db, "uploads/a.png").await.unwrap(),
        "not served half-written"
    );
    stored_files::finish(&db, "uploads/a.png", 5).await.unwrap();
    assert!(stored_files::exists(&db, "uploads/a.png").await.unwrap());
    let mut read = Vec::new();
    let mut after = None;
    while let Some((seq, data)) = stored_files::chunk_after(&db, "uploads/a.png", after)
        .await
        .unwrap()
    {
        read.extend(data);
        after = Some(seq);
    }
    assert_eq!(read, b"abcde");
    stored_files::remove(&db, "uploads/a.png").await.unwrap();
    stored_files::remove(&db, "uploads/a.png").await.unwrap();
    assert!(!stored_files::exists(&db, "uploads/a.png").await.unwrap());
}

#[tokio::test]
async fn beginning_a_file_clears_uploads_abandoned_before_the_cut_off_only() {
    let db = db().await;
    let now = at("2026-12-01 09:00:00");
    let cut_off = now - Duration::minutes(10);
    stored_files::begin(&db, "old", now - Duration::hours(1), cut_off)
        .await
        .unwrap();
    stored_files::append(&db, "old", 0, vec![1]).await.unwrap();
    stored_files::begin(&db, "busy", now - Duration::minutes(1), cut_off)
        .await
        .unwrap();
    stored_files::begin(&db, "new", now, cut_off).await.unwrap();
    let left: Vec<String> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT file_key FROM stored_files ORDER BY file_key",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect();
    assert_eq!(left, ["busy", "new"]);
    assert!(
        stored_files::chunk_after(&db, "old", None)
            .await
            .unwrap()
            .is_none(),
        "its chunks went too"
    );
}

#[tokio::test]
async fn the_shared_rate_budget_adds_up_per_client_and_window() {
    let db = db().await;
    assert_eq!(rate_windows::take(&db, 7, 1000, 30).await.unwrap(), 0);
    assert_eq!(
        rate_windows::take(&db, 7, 1000, 30).await.unwrap(),
        30,
        "what was used before"
    );
    assert_eq!(
        rate_windows::take(&db, 8, 1000, 5).await.unwrap(),
        0,
        "another client"
    );
    assert_eq!(
        rate_windows::take(&db, 7, 1060, 1).await.unwrap(),
        0,
        "another window"
    );
    assert_eq!(rate_windows::prune(&db, 1060).await.unwrap(), 2);
    assert_eq!(rate_windows::take(&db, 7, 1060, 1).await.unwrap(), 1);
}

fn entry(actor: fixdesk_domain::UserId, n: i64) -> NewAuditEntry {
    NewAuditEntry {
        actor: Some(actor),
        action: AuditAction::Update,
        entity: AuditEntity::Ticket,
        entity_id: Some(n),
        description: format!("change {n}"),
        old_values: None,
        new_values: Some(serde_json::json!({ "n": n })),
        client: ClientInfo::default(),
    }
}

#[tokio::test]
async fn the_audit_chain_finds_an_edited_a_deleted_and_a_truncated_row() {
    let db = db().await;
    let admin = person(&db, "root", Role::Admin).await;
    for n in 1..=4 {
        audit::append(&db, entry(admin, n), at("2026-12-01 09:00:00"))
            .await
            .unwrap();
    }
    assert!(audit::verify(&db).await.unwrap().is_empty());
    let ids: Vec<i64> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM audit_logs ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<i64>(0).unwrap())
        .collect();
    let exec = |sql: String| {
        let db = &db;
        async move { db.execute_unprepared(&sql).await.unwrap() }
    };
    exec(format!(
        "UPDATE audit_logs SET description = 'forged' WHERE id = {}",
        ids[0]
    ))
    .await;
    exec(format!("DELETE FROM audit_logs WHERE id = {}", ids[2])).await;
    exec(format!("DELETE FROM audit_logs WHERE id = {}", ids[3])).await;
    let problems = audit::verify(&db).await.unwrap();
    assert!(
        problems.contains(&ChainProblem::Altered { id: ids[0] }),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, ChainProblem::Truncated { .. })),
        "{problems:?}"
    );
}
