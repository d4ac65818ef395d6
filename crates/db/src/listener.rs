//! Commits of other instances, heard at once on PostgreSQL: triggers send
//! `NOTIFY fixdesk_commits` with the table's name when notifications, audit rows, session
//! revocations or jobs are inserted (delivered at commit). One connection per process listens
//! and wakes the live feed or the job workers, who then read the tables as they would after a
//! poll — so a notification that is lost (the listener's connection dropped) costs only time:
//! after a reconnect everyone is woken to catch up, and the pollers keep their slow beat.

use std::{
    sync::{Arc, Weak},
    time::Duration,
};

use sea_orm::sqlx::{
    PgPool,
    postgres::{PgListener, PgPoolOptions},
};
use tokio::sync::Notify;

/// The channel the triggers of migration 28 notify.
const CHANNEL: &str = "fixdesk_commits";
/// How long to wait before trying again when the database cannot be reached.
const RETRY: Duration = Duration::from_secs(1);
/// How often an idle listener checks that the process still wants it.
const IDLE: Duration = Duration::from_secs(5);

/// Who to wake for what was committed.
#[derive(Debug, Clone)]
pub(crate) struct Wakers {
    pub commits: Weak<Notify>,
    pub jobs: Weak<Notify>,
}

impl Wakers {
    fn alive(&self) -> bool {
        self.commits.strong_count() > 0 && self.jobs.strong_count() > 0
    }

    /// Wakes those a table concerns; `None` (after a reconnect) wakes everyone. False once the
    /// database handle is gone, which ends the listener.
    fn wake(&self, table: Option<&str>) -> bool {
        let (Some(commits), Some(jobs)) = (self.commits.upgrade(), self.jobs.upgrade()) else {
            return false;
        };
        match table {
            Some("jobs") => jobs.notify_waiters(),
            Some(_) => commits.notify_one(),
            None => {
                jobs.notify_waiters();
                commits.notify_one();
            }
        }
        true
    }
}

/// Listens until the database handle is dropped.
pub(crate) async fn listen(pool: PgPool, wakers: Wakers) {
    loop {
        let mut listener = match connect(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::debug!(error = %e, "cannot listen for other instances' commits yet");
                if !wakers.wake(None) {
                    return;
                }
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        // Whatever was committed while nobody listened is read now.
        if !wakers.wake(None) {
            return;
        }
        loop {
            match tokio::time::timeout(IDLE, listener.try_recv()).await {
                Ok(Ok(Some(n))) => {
                    if !wakers.wake(Some(n.payload())) {
                        return;
                    }
                }
                // The connection was lost and is being re-established: catch up.
                Ok(Ok(None)) => {
                    if !wakers.wake(None) {
                        return;
                    }
                }
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "lost the commit listener; reconnecting");
                    break;
                }
                Err(_idle) => {
                    if !wakers.alive() {
                        return;
                    }
                }
            }
        }
        tokio::time::sleep(RETRY).await;
    }
}

async fn connect(pool: &PgPool) -> Result<PgListener, sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Starts listening, with the connection settings of `pool`, for as long as the wakers'
/// owners live. The listener has a connection of its own (a one-connection pool), so it takes
/// none from the requests' pool nor keeps that pool from closing.
pub(crate) fn start(pool: &PgPool, commits: &Arc<Notify>, jobs: &Arc<Notify>) {
    let own = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with((*pool.connect_options()).clone());
    let wakers = Wakers {
        commits: Arc::downgrade(commits),
        jobs: Arc::downgrade(jobs),
    };
    tokio::spawn(listen(own, wakers));
}
