//! The record of the desk's backups: one running at a time, the last success and failure.

use fixdesk_repository::backups;

use crate::{at, db};

#[tokio::test]
async fn only_one_backup_runs_at_a_time() {
    let db = db().await;
    let first = backups::begin(&db, Some(1), at("2026-12-01 03:00:00"))
        .await
        .unwrap();
    assert!(first.is_some());
    assert_eq!(
        backups::begin(&db, Some(2), at("2026-12-01 03:00:01"))
            .await
            .unwrap(),
        None
    );
    let (running, job) = backups::running(&db).await.unwrap().unwrap();
    assert_eq!((Some(running.id), job), (first, Some(1)));
    backups::finish(
        &db,
        running.id,
        Ok(("a.tar.gz".into(), 10)),
        at("2026-12-01 03:01:00"),
    )
    .await
    .unwrap();
    assert!(backups::running(&db).await.unwrap().is_none());
    assert!(
        backups::begin(&db, Some(2), at("2026-12-02 03:00:00"))
            .await
            .unwrap()
            .is_some(),
        "free again"
    );
}

#[tokio::test]
async fn the_last_success_and_failure_are_the_newest_of_each() {
    let db = db().await;
    for (day, outcome) in [
        ("2026-12-01", Ok(("one.tar.gz".to_string(), 1))),
        ("2026-12-02", Err("disk full".to_string())),
        ("2026-12-03", Ok(("three.tar.gz".to_string(), 3))),
    ] {
        let id = backups::begin(&db, None, at(&format!("{day} 03:00:00")))
            .await
            .unwrap()
            .unwrap();
        backups::finish(&db, id, outcome, at(&format!("{day} 03:05:00")))
            .await
            .unwrap();
    }
    let success = backups::last(&db, "done").await.unwrap().unwrap();
    assert_eq!(
        (success.file.as_deref(), success.size),
        (Some("three.tar.gz"), Some(3))
    );
    let failure = backups::last(&db, "failed").await.unwrap().unwrap();
    assert_eq!(failure.error.as_deref(), Some("disk full"));
    assert_eq!(failure.file, None);
}

#[tokio::test]
async fn the_inventory_counts_the_main_tables_and_names_the_newest_migration() {
    let db = db().await;
    assert!(backups::holds_tables(&db).await.unwrap());
    let (counts, migration) = backups::inventory(&db).await.unwrap();
    assert_eq!(counts.len(), backups::COUNTED.len());
    assert!(counts.iter().all(|(_, n)| *n == 0));
    use fixdesk_migration::MigratorTrait;
    let newest = fixdesk_migration::Migrator::migrations()
        .last()
        .map(|m| m.name().to_string());
    assert_eq!(migration, newest);
}
