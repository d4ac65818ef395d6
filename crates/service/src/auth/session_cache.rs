//! Verified sessions, remembered for a short while so that authenticating a request costs no
//! database round trip. Revocations through this process evict at once; the time-to-live
//! bounds how long a revocation made elsewhere can go unnoticed.

use std::{sync::Arc, time::Duration};

use fixdesk_domain::{SessionId, UserId};
use fixdesk_repository::sessions::LiveSession;
use moka::future::Cache;

#[derive(Debug, Clone)]
pub(crate) struct SessionCache {
    cache: Cache<String, Arc<LiveSession>>,
}

impl SessionCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            cache: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(ttl)
                .support_invalidation_closures()
                .build(),
        }
    }

    pub(crate) async fn get(&self, id: &SessionId) -> Option<Arc<LiveSession>> {
        self.cache.get(&id.0).await
    }

    pub(crate) async fn put(&self, session: Arc<LiveSession>) {
        self.cache
            .insert(session.actor.session.0.clone(), session)
            .await;
    }

    pub(crate) async fn forget_session(&self, id: &SessionId) {
        self.cache.invalidate(&id.0).await;
    }

    /// Evicts every cached session of `user` (role, name or status changed, or all of its
    /// sessions were revoked).
    pub(crate) fn forget_user(&self, user: UserId) {
        // Only fails if closures were not enabled at build time, which `new` guarantees.
        let _ = self
            .cache
            .invalidate_entries_if(move |_, s| s.actor.id == user);
    }
}
