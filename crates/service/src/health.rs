//! The database check behind `/health`, asked at most once a second however often probes
//! and load balancers call: a liveness answer must stay cheap when the server is busiest.

use std::{
    future::Future,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::{Duration, Instant},
};

/// How long a check's answer is reused.
const FRESH: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub(crate) struct HealthCheck {
    origin: Instant,
    /// Milliseconds after `origin` when the last check finished; 0: never.
    checked_at: AtomicU64,
    healthy: AtomicBool,
}

impl HealthCheck {
    pub(crate) fn new() -> Self {
        Self {
            origin: Instant::now(),
            checked_at: AtomicU64::new(0),
            healthy: AtomicBool::new(false),
        }
    }

    /// The last answer if it is fresh, otherwise `ping`'s (concurrent callers may both ping
    /// once; that is harmless).
    pub(crate) async fn check<F, Fut, E>(&self, ping: F) -> bool
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), E>>,
    {
        let now = self.origin.elapsed().as_millis() as u64 + 1;
        let last = self.checked_at.load(Ordering::Acquire);
        if last != 0 && now.saturating_sub(last) < FRESH.as_millis() as u64 {
            return self.healthy.load(Ordering::Acquire);
        }
        let healthy = ping().await.is_ok();
        self.healthy.store(healthy, Ordering::Release);
        self.checked_at.store(
            self.origin.elapsed().as_millis() as u64 + 1,
            Ordering::Release,
        );
        healthy
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    #[tokio::test]
    async fn one_ping_answers_for_a_second_then_the_next_one_counts() {
        let check = HealthCheck::new();
        let pings = AtomicUsize::new(0);
        let ping = |ok: bool| {
            pings.fetch_add(1, Ordering::SeqCst);
            async move { if ok { Ok(()) } else { Err(()) } }
        };
        assert!(check.check(|| ping(true)).await);
        assert!(
            check.check(|| ping(false)).await,
            "the fresh answer is reused"
        );
        assert_eq!(pings.load(Ordering::SeqCst), 1);
        tokio::time::sleep(FRESH + Duration::from_millis(50)).await;
        assert!(
            !check.check(|| ping(false)).await,
            "a stale answer is checked again"
        );
        assert_eq!(pings.load(Ordering::SeqCst), 2);
    }
}
