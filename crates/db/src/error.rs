//! Errors of the database session.

use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr, sqlx};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DbError {
    /// The URL could not be understood.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// No connection could be had in time: the caller should shed the request (503), not wait.
    #[error("database is busy")]
    Busy(#[source] DbErr),
    /// The database cannot make a write durable right now (disk full, file gone or read-only,
    /// connection lost). The caller answers 503; nothing was changed.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else the driver reported. Never shown to clients.
    #[error("database error")]
    Backend(#[source] DbErr),
}

impl DbError {
    /// The driver error behind this one, for classification (constraint names and such).
    pub fn as_db_err(&self) -> Option<&DbErr> {
        match self {
            DbError::Busy(e) | DbError::Backend(e) => Some(e),
            DbError::InvalidUrl(_) | DbError::Unavailable(_) => None,
        }
    }
}

impl From<DbErr> for DbError {
    fn from(e: DbErr) -> Self {
        if is_busy(&e) {
            return DbError::Busy(e);
        }
        match unavailable(&e) {
            Some(why) => DbError::Unavailable(why),
            None => DbError::Backend(e),
        }
    }
}

fn sqlx_error(e: &DbErr) -> Option<&sqlx::Error> {
    match e {
        DbErr::Conn(RuntimeErr::SqlxError(s))
        | DbErr::Exec(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s)) => Some(s),
        _ => None,
    }
}

/// Pool exhaustion, and SQLite's own "database is locked" once its busy timeout has passed,
/// are overload rather than faults.
fn is_busy(e: &DbErr) -> bool {
    if matches!(e, DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)) {
        return true;
    }
    sqlx_error(e).is_some_and(|s| {
        let text = s.to_string();
        text.contains("database is locked") || text.contains("pool timed out")
    })
}

/// Failures of the storage itself rather than of the statement: the write did not happen and
/// may succeed later, once space returns or the connection is back. Returns what happened.
fn unavailable(e: &DbErr) -> Option<String> {
    if matches!(
        e,
        DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)
    ) {
        return Some("connection closed".into());
    }
    let s = sqlx_error(e)?;
    match s {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => Some(s.to_string()),
        sqlx::Error::Database(d) => {
            let code = d.code()?;
            let sqlite = d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            let storage = if sqlite {
                sqlite_storage_code(&code)
            } else {
                postgres_storage_code(&code)
            };
            storage.then(|| d.message().to_string())
        }
        _ => None,
    }
}

/// SQLite result codes (primary code = extended code & 0xff) that mean the storage, not the
/// statement, failed: SQLITE_READONLY 8, SQLITE_IOERR 10, SQLITE_CORRUPT 11, SQLITE_FULL 13,
/// SQLITE_CANTOPEN 14, SQLITE_NOTADB 26.
fn sqlite_storage_code(code: &str) -> bool {
    code.parse::<i32>()
        .is_ok_and(|n| matches!(n & 0xff, 8 | 10 | 11 | 13 | 14 | 26))
}

/// PostgreSQL SQLSTATEs that mean the storage, not the statement, failed. 08: connection
/// exception; 53: insufficient resources (53100 disk full); 57P01-57P03: the server is
/// shutting down or starting; 58030: I/O error; 25006: read-only (a replica).
fn postgres_storage_code(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57P01" | "57P02" | "57P03" | "58030" | "25006")
}

/// Overload is the caller's to shed (503); a storage failure is 503 too, and logged; every
/// other database failure is internal.
impl From<DbError> for fixdesk_domain::ServiceError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Busy(_) => fixdesk_domain::ServiceError::Overloaded {
                retry_after_secs: 1,
            },
            DbError::Unavailable(why) => {
                tracing::error!("database write failed: {why}");
                fixdesk_domain::ServiceError::Unavailable {
                    retry_after_secs: 5,
                }
            }
            other => fixdesk_domain::ServiceError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_failures_are_told_from_statement_failures() {
        assert!(sqlite_storage_code("13"), "SQLITE_FULL");
        assert!(
            sqlite_storage_code("3338"),
            "SQLITE_IOERR_WRITE (10 | 13 << 8)"
        );
        assert!(sqlite_storage_code("8"), "SQLITE_READONLY");
        assert!(!sqlite_storage_code("2067"), "SQLITE_CONSTRAINT_UNIQUE");
        assert!(postgres_storage_code("53100"), "disk_full");
        assert!(postgres_storage_code("08006"), "connection failure");
        assert!(!postgres_storage_code("23505"), "unique_violation");
        assert!(
            !postgres_storage_code("22021"),
            "bad encoding is the client's"
        );
    }
}
