//! Repository errors: what a caller can branch on (not found, which constraint) separated
//! from what it can only log.

use fixdesk_db::DbError;
use sea_orm::{DbErr, SqlErr};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum RepoError {
    #[error("row not found")]
    NotFound,
    /// A unique constraint refused the write; `constraint` names the column or index.
    #[error("unique constraint violated: {constraint}")]
    Conflict { constraint: String },
    #[error("foreign key violated")]
    ForeignKey,
    /// A stored row that breaks an invariant the schema should have enforced.
    #[error("invalid row in {table}: {reason}")]
    InvalidRow { table: &'static str, reason: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl RepoError {
    /// A write of one row by its key: done, or [`RepoError::NotFound`] when no row had it.
    pub(crate) fn found(rows_affected: u64) -> Result<(), RepoError> {
        if rows_affected == 0 {
            Err(RepoError::NotFound)
        } else {
            Ok(())
        }
    }
}

impl From<DbErr> for RepoError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                RepoError::Conflict { constraint: detail }
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => RepoError::ForeignKey,
            _ => RepoError::Db(DbError::from(e)),
        }
    }
}

/// A repository error that reaches a use case's caller unhandled is the service's fault,
/// except for database overload, which stays overload.
impl From<RepoError> for fixdesk_domain::ServiceError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::Db(db) => db.into(),
            other => fixdesk_domain::ServiceError::internal(other),
        }
    }
}
