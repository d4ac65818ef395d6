//! One transaction, owned. The Rust form of the old service's `async with session:` block.

use std::sync::Arc;

use sea_orm::DatabaseTransaction;
use tokio::sync::Notify;

use crate::{DbError, storage::WriteFailures};

/// Owns one open transaction. `commit` consumes it; dropping it without commit rolls back, so
/// an early `?` in a use case can never leave half a change behind.
#[derive(Debug)]
pub struct UnitOfWork {
    txn: DatabaseTransaction,
    /// For a write: who to signal after the commit, and where a failed commit is noted.
    writer: Option<(Arc<Notify>, Arc<WriteFailures>)>,
}

impl UnitOfWork {
    pub(crate) fn new(
        txn: DatabaseTransaction,
        writer: Option<(Arc<Notify>, Arc<WriteFailures>)>,
    ) -> Self {
        Self { txn, writer }
    }

    /// The connection every repository call of this unit of work must use.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Makes the change durable, then signals the commit (only after it is durable, so
    /// nothing is announced that could still be rolled back).
    pub async fn commit(self) -> Result<(), DbError> {
        let result = self.txn.commit().await.map_err(DbError::from);
        match (&result, self.writer) {
            (Ok(()), Some((committed, _))) => committed.notify_one(),
            (Err(DbError::Unavailable(_)), Some((_, failures))) => failures.record(),
            _ => {}
        }
        result
    }

    pub async fn rollback(self) -> Result<(), DbError> {
        self.txn.rollback().await.map_err(DbError::from)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sea_orm::{ConnectionTrait, Statement};

    use crate::{Database, DbError};

    async fn file_db(dir: &tempfile::TempDir) -> Result<Database, DbError> {
        let db = Database::connect(&dir.path().join("t.db").display().to_string()).await?;
        db.writer()
            .execute_unprepared(
                "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)",
            )
            .await?;
        Ok(db)
    }

    async fn count(db: &Database) -> Result<i64, DbError> {
        let row = db
            .reader()
            .query_one_raw(Statement::from_string(
                db.backend_kind(),
                "SELECT COUNT(*) AS n FROM items",
            ))
            .await?;
        Ok(row
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(-1))
    }

    async fn insert(uow: &super::UnitOfWork, name: &str) -> Result<(), DbError> {
        uow.conn()
            .execute_unprepared(&format!("INSERT INTO items (name) VALUES ('{name}')"))
            .await?;
        Ok(())
    }

    #[tokio::test]
    async fn commit_makes_the_change_visible() -> Result<(), DbError> {
        let dir = tempfile::tempdir().map_err(|e| DbError::InvalidUrl(e.to_string()))?;
        let db = file_db(&dir).await?;
        let uow = db.begin_write().await?;
        insert(&uow, "a").await?;
        assert_eq!(
            count(&db).await?,
            0,
            "uncommitted writes are invisible to readers"
        );
        uow.commit().await?;
        assert_eq!(count(&db).await?, 1);
        Ok(())
    }

    #[tokio::test]
    async fn rollback_and_drop_both_discard_the_change() -> Result<(), DbError> {
        let dir = tempfile::tempdir().map_err(|e| DbError::InvalidUrl(e.to_string()))?;
        let db = file_db(&dir).await?;
        let uow = db.begin_write().await?;
        insert(&uow, "a").await?;
        uow.rollback().await?;
        assert_eq!(count(&db).await?, 0);
        {
            let uow = db.begin_write().await?;
            insert(&uow, "b").await?;
            // dropped here without commit, as after an early `?`
        }
        // The single writer connection must be usable again and hold nothing of "b".
        let uow = db.begin_write().await?;
        insert(&uow, "c").await?;
        uow.commit().await?;
        assert_eq!(count(&db).await?, 1);
        Ok(())
    }

    #[tokio::test]
    async fn concurrent_write_units_on_a_file_both_succeed() -> Result<(), DbError> {
        let dir = tempfile::tempdir().map_err(|e| DbError::InvalidUrl(e.to_string()))?;
        let db = file_db(&dir).await?;
        let write = |name: &'static str| {
            let db = db.clone();
            async move {
                let uow = db.begin_write().await?;
                insert(&uow, name).await?;
                // Hold the transaction open while the other writer tries to start.
                tokio::time::sleep(Duration::from_millis(100)).await;
                insert(&uow, name).await?;
                uow.commit().await
            }
        };
        let (a, b) = tokio::join!(tokio::spawn(write("a")), tokio::spawn(write("b")));
        assert!(matches!(a, Ok(Ok(()))), "{a:?}");
        assert!(matches!(b, Ok(Ok(()))), "{b:?}");
        assert_eq!(count(&db).await?, 4);
        Ok(())
    }

    #[tokio::test]
    async fn a_second_process_style_connection_waits_instead_of_failing() -> Result<(), DbError> {
        // Two separate `Database`s on one file behave like two processes: the busy timeout
        // makes the second writer wait for the first instead of failing with "locked".
        let dir = tempfile::tempdir().map_err(|e| DbError::InvalidUrl(e.to_string()))?;
        let first = file_db(&dir).await?;
        let second = Database::connect(&dir.path().join("t.db").display().to_string()).await?;
        let uow = first.begin_write().await?;
        insert(&uow, "x").await?;
        let other = tokio::spawn(async move {
            let uow = second.begin_write().await?;
            insert(&uow, "y").await?;
            uow.commit().await
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        uow.commit().await?;
        assert!(matches!(other.await, Ok(Ok(()))));
        assert_eq!(count(&first).await?, 2);
        Ok(())
    }

    #[tokio::test]
    async fn a_transaction_sqlite_ended_by_itself_never_swallows_later_writes()
    -> Result<(), DbError> {
        let dir = tempfile::tempdir().map_err(|e| DbError::InvalidUrl(e.to_string()))?;
        let db = file_db(&dir).await?;
        {
            let uow = db.begin_write().await?;
            insert(&uow, "lost").await?;
            // What SQLite does on a full disk or an I/O error: it rolls the transaction back
            // itself, so the driver's own ROLLBACK fails when the unit of work is dropped.
            uow.conn().execute_unprepared("ROLLBACK").await?;
        }
        {
            // A unit of work that fails and is dropped while the driver still believes it is
            // inside a transaction.
            let uow = db.begin_write().await?;
            insert(&uow, "failed").await?;
        }
        for name in ["a", "b"] {
            let uow = db.begin_write().await?;
            insert(&uow, name).await?;
            uow.commit().await?;
        }
        // Another process sees what was acknowledged, and can write itself (no lock held).
        let other = Database::connect(&dir.path().join("t.db").display().to_string()).await?;
        assert_eq!(
            count(&other).await?,
            2,
            "both acknowledged writes are on disk"
        );
        let uow = other.begin_write().await?;
        insert(&uow, "c").await?;
        uow.commit().await?;
        assert_eq!(count(&db).await?, 3);
        Ok(())
    }
}
