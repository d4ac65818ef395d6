//! The desk's calendars and policies, held in memory: every ticket write and read consults
//! them, and they change a few times a year. This instance forgets its copy when it changes
//! them; copies in other instances are read again after [`FRESH_FOR`].

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::sla::SlaBook;
use fixdesk_repository::sla;
use fixdesk_usecases::ServiceError;

/// How long a copy is used before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(crate) struct BookCache {
    copy: RwLock<Option<(Arc<SlaBook>, Instant)>>,
}

impl BookCache {
    /// The current copy, read through `conn` when stale (inside a unit of work, its own
    /// connection: a second one might not be free).
    pub(crate) async fn get<C: ConnectionTrait>(
        &self,
        conn: &C,
    ) -> Result<Arc<SlaBook>, ServiceError> {
        if let Ok(guard) = self.copy.read()
            && let Some((book, read_at)) = guard.as_ref()
            && read_at.elapsed() < FRESH_FOR
        {
            return Ok(book.clone());
        }
        let book = Arc::new(sla::book(conn).await?);
        if let Ok(mut guard) = self.copy.write() {
            *guard = Some((book.clone(), Instant::now()));
        }
        Ok(book)
    }

    /// Drops this instance's copy (after a change of calendars or policies).
    pub(crate) fn forget(&self) {
        if let Ok(mut guard) = self.copy.write() {
            *guard = None;
        }
    }
}
