//! The checks behind `/health` (does the database answer?) and `/ready` (can it take a write
//! that will survive a restart?). Each is asked at most once a second however often probes
//! and load balancers call: a probe's answer must stay cheap when the server is busiest.

use std::{
    future::Future,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::{Duration, Instant},
};

use fixdesk_db::Database;
use fixdesk_domain::NotReady;
use fixdesk_migration::{Migrator, MigratorTrait};
use fixdesk_repository::probe;
use tokio::sync::Mutex;

use crate::clock;

/// How long a check's answer is reused.
const FRESH: Duration = Duration::from_secs(1);
/// The longest the readiness write may take; a writer stuck longer is not ready.
const WRITE_PROBE_TIMEOUT: Duration = Duration::from_secs(3);

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

/// Readiness, checked for real at most once a second; concurrent probes wait for the one
/// check under way instead of starting their own.
#[derive(Debug, Default)]
pub(crate) struct ReadinessCheck {
    last: Mutex<Option<(Instant, Result<(), NotReady>)>>,
}

impl ReadinessCheck {
    pub(crate) async fn check(&self, db: &Database) -> Result<(), NotReady> {
        let mut last = self.last.lock().await;
        if let Some((at, answer)) = last.as_ref()
            && at.elapsed() < FRESH
        {
            return answer.clone();
        }
        let answer = ready(db).await;
        *last = Some((Instant::now(), answer.clone()));
        answer
    }
}

/// Whether `db` answers, can take a write right now, and has every migration applied.
async fn ready(db: &Database) -> Result<(), NotReady> {
    db.ping().await.map_err(|_| NotReady::Unreachable)?;
    if let Some(problem) = db.storage_problem().await {
        return Err(problem.into());
    }
    match tokio::time::timeout(WRITE_PROBE_TIMEOUT, write_probe(db)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(NotReady::WriteFailed(e.to_string())),
        Err(_) => return Err(NotReady::WriteTimedOut),
    }
    let pending = Migrator::get_pending_migrations(db.reader())
        .await
        .map_err(|_| NotReady::MigrationStateUnknown)?;
    if pending.is_empty() {
        Ok(())
    } else {
        Err(NotReady::MigrationsPending(pending.len()))
    }
}

async fn write_probe(db: &Database) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let uow = db.begin_write().await?;
    probe::touch(uow.conn(), clock::wall()).await?;
    uow.commit().await?;
    Ok(())
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
