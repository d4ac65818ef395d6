//! Errors of the database session.

use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DbError {
    /// The URL could not be understood.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// No connection could be had in time: the caller should shed the request (503), not wait.
    #[error("database is busy")]
    Busy(#[source] DbErr),
    /// Anything else the driver reported. Never shown to clients.
    #[error("database error")]
    Backend(#[source] DbErr),
}

impl DbError {
    /// The driver error behind this one, for classification (constraint names and such).
    pub fn as_db_err(&self) -> Option<&DbErr> {
        match self {
            DbError::Busy(e) | DbError::Backend(e) => Some(e),
            DbError::InvalidUrl(_) => None,
        }
    }
}

impl From<DbErr> for DbError {
    fn from(e: DbErr) -> Self {
        if is_busy(&e) {
            DbError::Busy(e)
        } else {
            DbError::Backend(e)
        }
    }
}

/// Pool exhaustion, and SQLite's own "database is locked" once its busy timeout has passed,
/// are overload rather than faults.
fn is_busy(e: &DbErr) -> bool {
    match e {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => true,
        DbErr::Conn(RuntimeErr::SqlxError(s))
        | DbErr::Exec(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s)) => {
            let text = s.to_string();
            text.contains("database is locked") || text.contains("pool timed out")
        }
        _ => false,
    }
}

/// Overload is the caller's to shed (503); every other database failure is internal.
impl From<DbError> for fixdesk_usecases::ServiceError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Busy(_) => fixdesk_usecases::ServiceError::Overloaded {
                retry_after_secs: 1,
            },
            other => fixdesk_usecases::ServiceError::internal(other),
        }
    }
}
