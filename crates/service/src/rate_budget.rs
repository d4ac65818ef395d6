//! The shared rate budget on PostgreSQL (`rate_windows`): what lets N instances behind a load
//! balancer hold one rate limit per client. Each slice taken is one upsert; windows two
//! minutes old are forgotten by the live feed's housekeeping.

use fixdesk_db::Database;
use fixdesk_repository::rate_windows;
use fixdesk_usecases::{RateBudget, ServiceError, async_trait};

#[derive(Debug, Clone)]
pub(crate) struct SharedBudget {
    db: Database,
}

impl SharedBudget {
    pub(crate) fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl RateBudget for SharedBudget {
    async fn take(
        &self,
        client: i64,
        window: i64,
        slice: u64,
        limit: u64,
    ) -> Result<u64, ServiceError> {
        let slice = i64::try_from(slice).unwrap_or(i64::MAX);
        let before = rate_windows::take(self.db.writer(), client, window, slice).await?;
        let left = i64::try_from(limit)
            .unwrap_or(i64::MAX)
            .saturating_sub(before);
        Ok(u64::try_from(left.clamp(0, slice)).unwrap_or(0))
    }
}

/// Forgets windows that ended more than a minute ago (by the wall clock, as the edge counts).
pub(crate) async fn prune(db: &Database) {
    let before = chrono::Utc::now().timestamp() - 120;
    if let Err(e) = rate_windows::prune(db.writer(), before).await {
        tracing::debug!(error = %e, "could not prune rate windows");
    }
}
