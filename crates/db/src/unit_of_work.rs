//! One transaction, owned. The Rust form of the old service's `async with session:` block.

use sea_orm::DatabaseTransaction;

use crate::DbError;

/// Owns one open transaction. `commit` consumes it; dropping it without commit rolls back, so
/// an early `?` in a use case can never leave half a change behind.
#[derive(Debug)]
pub struct UnitOfWork {
    txn: DatabaseTransaction,
}

impl UnitOfWork {
    pub(crate) fn new(txn: DatabaseTransaction) -> Self {
        Self { txn }
    }

    /// The connection every repository call of this unit of work must use.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub async fn commit(self) -> Result<(), DbError> {
        self.txn.commit().await.map_err(DbError::from)
    }

    pub async fn rollback(self) -> Result<(), DbError> {
        self.txn.rollback().await.map_err(DbError::from)
    }
}
