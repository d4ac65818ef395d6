//! The schema of fixdesk as an ordered list of migrations, one file each. Migrations describe
//! tables with sea-query's builders (so they run on SQLite and PostgreSQL alike) and never
//! import the repository's entities: a migration must keep meaning what it meant when written.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_users;
mod m20261122_000002_create_sessions;
mod m20261122_000003_create_audit_logs;
mod m20261122_000004_create_secrets;
mod m20261122_000005_create_categories;
mod m20261122_000006_create_equipment;
mod m20261122_000007_create_tickets;
mod m20261122_000008_create_statistics;
mod m20261122_000009_create_notifications;
mod m20261122_000010_create_attachments;
mod m20261122_000011_create_jobs;
mod m20261122_000012_create_session_revocations;
mod m20261122_000013_index_sign_in_history;
mod m20261202_000014_create_write_probe;
mod m20261202_000015_create_login_failures;
mod m20261202_000016_create_user_preferences;
mod m20261202_000017_ticket_last_message_by;
mod m20261202_000018_service_levels;
mod m20261202_000019_assignment_rules;
mod m20261202_000020_canned_replies;
mod m20261202_000021_service_level_counters;
mod m20261202_000022_equipment_categories;
mod m20261202_000023_preventive_maintenance;
mod m20261202_000024_equipment_reliability;
mod m20261202_000025_search_index;
mod m20261202_000026_inbound_mail;
mod m20261202_000027_mail_out;
mod m20261203_000028_scale_out;
mod m20261207_000029_mail_keys;
mod m20261207_000030_backups;
mod m20261208_000031_ticket_merge;
mod m20261208_000032_due_then_priority;

#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_users::Migration),
            Box::new(m20261122_000002_create_sessions::Migration),
            Box::new(m20261122_000003_create_audit_logs::Migration),
            Box::new(m20261122_000004_create_secrets::Migration),
            Box::new(m20261122_000005_create_categories::Migration),
            Box::new(m20261122_000006_create_equipment::Migration),
            Box::new(m20261122_000007_create_tickets::Migration),
            Box::new(m20261122_000008_create_statistics::Migration),
            Box::new(m20261122_000009_create_notifications::Migration),
            Box::new(m20261122_000010_create_attachments::Migration),
            Box::new(m20261122_000011_create_jobs::Migration),
            Box::new(m20261122_000012_create_session_revocations::Migration),
            Box::new(m20261122_000013_index_sign_in_history::Migration),
            Box::new(m20261202_000014_create_write_probe::Migration),
            Box::new(m20261202_000015_create_login_failures::Migration),
            Box::new(m20261202_000016_create_user_preferences::Migration),
            Box::new(m20261202_000017_ticket_last_message_by::Migration),
            Box::new(m20261202_000018_service_levels::Migration),
            Box::new(m20261202_000019_assignment_rules::Migration),
            Box::new(m20261202_000020_canned_replies::Migration),
            Box::new(m20261202_000021_service_level_counters::Migration),
            Box::new(m20261202_000022_equipment_categories::Migration),
            Box::new(m20261202_000023_preventive_maintenance::Migration),
            Box::new(m20261202_000024_equipment_reliability::Migration),
            Box::new(m20261202_000025_search_index::Migration),
            Box::new(m20261202_000026_inbound_mail::Migration),
            Box::new(m20261202_000027_mail_out::Migration),
            Box::new(m20261203_000028_scale_out::Migration),
            Box::new(m20261207_000029_mail_keys::Migration),
            Box::new(m20261207_000030_backups::Migration),
            Box::new(m20261208_000031_ticket_merge::Migration),
            Box::new(m20261208_000032_due_then_priority::Migration),
        ]
    }
}

/// The advisory lock migrations run under on PostgreSQL ("fixdesk" in ASCII).
const MIGRATION_LOCK: i64 = 0x0066_6978_6465_736b;

/// Applies every pending migration, one instance at a time: instances started together (a
/// rolling upgrade, or `migrate_on_start` everywhere) queue, the first migrates, the rest find
/// nothing pending.
///
/// On PostgreSQL the queue is a session-level advisory lock held on a connection of its own
/// (released by the database if the process dies), and each migration commits on its own, so
/// the tables a migration locks are free again as soon as it is done — instances of the
/// previous version keep serving in between. On SQLite the run is one `BEGIN IMMEDIATE`
/// transaction (the write lock is the queue; readers go on under WAL).
pub async fn up_exclusively(
    db: &sea_orm_migration::sea_orm::DatabaseConnection,
) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{
        DbBackend, SqliteTransactionMode, TransactionOptions, TransactionTrait, sqlx,
    };
    if db.get_database_backend() == DbBackend::Postgres {
        let mut holder = db
            .get_postgres_connection_pool()
            .acquire()
            .await
            .map_err(sqlx_err)?;
        let lock = |sql: &'static str| sqlx::query(sql).bind(MIGRATION_LOCK);
        lock("SELECT pg_advisory_lock($1)")
            .execute(&mut *holder)
            .await
            .map_err(sqlx_err)?;
        let result = Migrator::up(db, None).await;
        lock("SELECT pg_advisory_unlock($1)")
            .execute(&mut *holder)
            .await
            .map_err(sqlx_err)?;
        return result;
    }
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.begin_with_options(options).await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

fn sqlx_err(e: sea_orm_migration::sea_orm::sqlx::Error) -> DbErr {
    DbErr::Conn(sea_orm_migration::sea_orm::RuntimeErr::SqlxError(e.into()))
}
