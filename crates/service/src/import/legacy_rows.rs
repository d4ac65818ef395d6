//! Reading the old database's tables generically, a batch of rows at a time.

use fixdesk_db::Database;
use fixdesk_repository::{RepoError, legacy};

/// A row of an old table, read in id order a batch at a time.
pub(super) trait LegacyRow: Sized + Send {
    fn id(&self) -> i64;
    fn read(
        db: &Database,
        table: &'static str,
        cols: &str,
        after: i64,
        limit: u64,
    ) -> impl std::future::Future<Output = Result<Vec<Self>, RepoError>> + Send;
}

macro_rules! from_row {
    ($($t:ty),*) => {$(
        impl LegacyRow for $t {
            fn id(&self) -> i64 {
                self.id
            }

            fn read(db: &Database, table: &'static str, cols: &str, after: i64, limit: u64) -> impl std::future::Future<Output = Result<Vec<Self>, RepoError>> + Send {
                let cols = cols.to_string();
                let reader = db.reader().clone();
                async move { legacy::rows::<$t, _>(&reader, table, &cols, after, limit).await }
            }
        }
    )*};
}

from_row!(
    legacy::User,
    legacy::Category,
    legacy::Ticket,
    legacy::Message,
    legacy::Equipment,
    legacy::Maintenance,
    legacy::AuditRow,
    legacy::Notification,
    legacy::Attachment
);
