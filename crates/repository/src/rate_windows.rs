//! How much of each client's one-minute budget the whole deployment has handed out, so a
//! rate limit holds across instances: each instance takes a slice of the budget in one
//! statement and spends it from memory.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::RepoError;

/// Adds `take` to what `client` has used in the window starting at `window` and returns the
/// total before it — one statement, atomic across instances.
pub async fn take<C: ConnectionTrait>(
    conn: &C,
    client: i64,
    window: i64,
    take: i64,
) -> Result<i64, RepoError> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO rate_windows (client_key, window_start, used) VALUES ($1, $2, $3) \
             ON CONFLICT (client_key, window_start) \
             DO UPDATE SET used = rate_windows.used + EXCLUDED.used RETURNING used"
        }
        _ => {
            "INSERT INTO rate_windows (client_key, window_start, used) VALUES (?, ?, ?) \
             ON CONFLICT (client_key, window_start) \
             DO UPDATE SET used = rate_windows.used + excluded.used RETURNING used"
        }
    };
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [client.into(), window.into(), take.into()],
        ))
        .await?
        .ok_or_else(|| RepoError::InvalidRow {
            table: "rate_windows",
            reason: "the upsert returned no row".into(),
        })?;
    let used: i64 = row.try_get("", "used")?;
    Ok(used - take)
}

/// Forgets windows that ended before `before`.
pub async fn prune<C: ConnectionTrait>(conn: &C, before: i64) -> Result<u64, RepoError> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "DELETE FROM rate_windows WHERE window_start < $1",
        _ => "DELETE FROM rate_windows WHERE window_start < ?",
    };
    let done = conn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [before.into()],
        ))
        .await?;
    Ok(done.rows_affected())
}
