//! The record of the desk's scheduled backups: one row per attempt, at most one `running`
//! (a unique index), so two instances never back up at once.

use chrono::NaiveDateTime;
use fixdesk_domain::backup::BackupRecord;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::{RepoError, entities::backup};

impl From<backup::Model> for BackupRecord {
    fn from(m: backup::Model) -> Self {
        Self {
            id: m.id,
            job_id: m.job_id,
            started_at: m.started_at,
            finished_at: m.finished_at,
            state: m.state,
            file: m.file,
            size: m.size,
            error: m.error,
        }
    }
}

/// The running attempt, if any, with the job that runs it.
pub async fn running<C: ConnectionTrait>(
    conn: &C,
) -> Result<Option<(BackupRecord, Option<i64>)>, RepoError> {
    Ok(backup::Entity::find()
        .filter(backup::Column::State.eq("running"))
        .one(conn)
        .await?
        .map(|m| {
            let job = m.job_id;
            (m.into(), job)
        }))
}

/// Records the start of an attempt by `job`; `None` when another attempt is running.
pub async fn begin<C: ConnectionTrait>(
    conn: &C,
    job: Option<i64>,
    now: NaiveDateTime,
) -> Result<Option<i64>, RepoError> {
    let row = backup::ActiveModel {
        job_id: Set(job),
        started_at: Set(now),
        state: Set("running".into()),
        ..Default::default()
    };
    match row.insert(conn).await {
        Ok(m) => Ok(Some(m.id)),
        Err(e) => match RepoError::from(e) {
            RepoError::Conflict { .. } => Ok(None),
            other => Err(other),
        },
    }
}

/// Ends an attempt: `done` with its file and size, or `failed` with why.
pub async fn finish<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    outcome: Result<(String, i64), String>,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let (state, file, size, error) = match outcome {
        Ok((file, size)) => ("done", Some(file), Some(size), None),
        Err(e) => ("failed", None, None, Some(e)),
    };
    backup::ActiveModel {
        id: Set(id),
        finished_at: Set(Some(now)),
        state: Set(state.into()),
        file: Set(file),
        size: Set(size),
        error: Set(error),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// The newest attempt that ended in `state` (`done` or `failed`).
pub async fn last<C: ConnectionTrait>(
    conn: &C,
    state: &str,
) -> Result<Option<BackupRecord>, RepoError> {
    Ok(backup::Entity::find()
        .filter(backup::Column::State.eq(state))
        .order_by_desc(backup::Column::StartedAt)
        .order_by_desc(backup::Column::Id)
        .one(conn)
        .await?
        .map(Into::into))
}

/// What a backup holds, as people count it: rows of the main tables.
pub const COUNTED: [&str; 6] = [
    "users",
    "tickets",
    "ticket_messages",
    "attachments",
    "equipment",
    "audit_logs",
];

/// Rows of each of [`COUNTED`], and the newest migration applied (what a restore says it
/// brought back).
pub async fn inventory<C: ConnectionTrait>(
    conn: &C,
) -> Result<(Vec<(&'static str, i64)>, Option<String>), RepoError> {
    let backend = conn.get_database_backend();
    let one = |sql: String| sea_orm::Statement::from_string(backend, sql);
    let mut counts = Vec::new();
    for table in COUNTED {
        let n = conn
            .query_one_raw(one(format!("SELECT COUNT(*) FROM {table}")))
            .await?
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0);
        counts.push((table, n));
    }
    let migration = conn
        .query_one_raw(one(
            "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1".into(),
        ))
        .await?
        .and_then(|r| r.try_get_by_index::<String>(0).ok());
    Ok((counts, migration))
}

/// Whether the database holds any table of the desk's (a restore goes into an empty one).
pub async fn holds_tables<C: ConnectionTrait>(conn: &C) -> Result<bool, RepoError> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        _ => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    Ok(conn
        .query_one_raw(sea_orm::Statement::from_string(backend, sql))
        .await?
        .and_then(|r| r.try_get_by_index::<i64>(0).ok())
        .is_some_and(|n| n > 0))
}
