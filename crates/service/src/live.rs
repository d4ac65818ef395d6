//! The live feed: one task per process that, after every commit (or each second, for what
//! other instances on the same database wrote), reads new notifications and audit rows and
//! broadcasts them to the open streams. Streams that fall behind catch up from the database,
//! so a slow client misses nothing and a fast one hears within moments of the commit.

use std::{sync::Arc, time::Duration};

use fixdesk_db::Database;
use fixdesk_domain::{Actor, AuditRecord, Notification, UserId};
use fixdesk_repository::{
    RepoError, audit, notifications,
    sessions::{self, Revocation},
};

use crate::{auth::session_cache::SessionCache, clock};
use futures::{StreamExt, future::BoxFuture, stream::BoxStream};
use tokio::sync::broadcast;

/// How long to wait after a commit before reading, so bursts of commits cost one read.
const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often to look anyway (for rows other instances wrote).
const POLL: Duration = Duration::from_secs(1);
/// Rows read per round.
const BATCH: u64 = 500;

#[derive(Debug, Clone)]
pub(crate) struct LiveFeed {
    notifications: broadcast::Sender<Arc<Notification>>,
    audit: broadcast::Sender<Arc<AuditRecord>>,
    /// Session revocations by any instance, so open streams of a revoked session end.
    revocations: broadcast::Sender<Revocation>,
    db: Database,
}

impl LiveFeed {
    /// Starts the feed's task; it ends when the last handle is dropped. It also carries
    /// session revocations made by other instances into `cache`.
    pub(crate) fn start(db: Database, cache: SessionCache) -> Self {
        let (notifications, _) = broadcast::channel(1024);
        let (audit, _) = broadcast::channel(1024);
        let (revocations, _) = broadcast::channel(256);
        let weak = (notifications.downgrade(), audit.downgrade());
        tokio::spawn(run(db.clone(), weak, revocations.clone(), cache));
        Self {
            notifications,
            audit,
            revocations,
            db,
        }
    }

    /// A feed whose streams only catch up from the database, with no task relaying new rows:
    /// for a service opened without background work.
    pub(crate) fn idle(db: Database) -> Self {
        let (notifications, _) = broadcast::channel(1);
        let (audit, _) = broadcast::channel(1);
        let (revocations, _) = broadcast::channel(1);
        Self {
            notifications,
            audit,
            revocations,
            db,
        }
    }

    /// Completes when `actor`'s session is no longer what it was when a stream opened:
    /// revoked (logout, or all of the user's sessions ended), expired, the user deactivated
    /// or deleted, or their role changed. Revocations by any instance reach it within about a
    /// second; a stream ends with it, so no feed outlives the session that opened it.
    pub(crate) fn session_ended(&self, actor: &Actor) -> BoxFuture<'static, ()> {
        let mut revocations = self.revocations.subscribe();
        let db = self.db.clone();
        let actor = actor.clone();
        Box::pin(async move {
            // Subscribed first, then checked once: a revocation in between is not missed.
            let Some(expires) = still_valid(&db, &actor).await else {
                return;
            };
            let expiry =
                tokio::time::sleep((expires - clock::wall()).to_std().unwrap_or(Duration::ZERO));
            tokio::pin!(expiry);
            loop {
                let check = tokio::select! {
                    () = &mut expiry => return,
                    r = revocations.recv() => match r {
                        Ok(r) => r.user == actor.id,
                        Err(broadcast::error::RecvError::Lagged(_)) => true,
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                };
                if check && still_valid(&db, &actor).await.is_none() {
                    return;
                }
            }
        })
    }

    /// A user's notifications from after `last_seen`, then live.
    pub(crate) async fn notifications_for(
        &self,
        user: UserId,
        last_seen: Option<i64>,
    ) -> Result<BoxStream<'static, Notification>, RepoError> {
        let rx = self.notifications.subscribe();
        let db = self.db.clone();
        let start = match last_seen {
            Some(id) => id,
            None => notifications::last_id(db.reader()).await?,
        };
        let fetch = move |after: i64| {
            let db = db.clone();
            async move { notifications::newer_than(db.reader(), Some(user), after, BATCH).await }
        };
        Ok(follow(
            rx,
            start,
            move |n: &Notification| n.user_id == user,
            |n| n.id,
            fetch,
        ))
    }

    /// Audit rows written from now on.
    pub(crate) async fn audit(&self) -> Result<BoxStream<'static, AuditRecord>, RepoError> {
        let rx = self.audit.subscribe();
        let db = self.db.clone();
        let start = audit::last_id(db.reader()).await?;
        let fetch = move |after: i64| {
            let db = db.clone();
            async move { audit::newer_than(db.reader(), after, BATCH).await }
        };
        Ok(follow(rx, start, |_: &AuditRecord| true, |r| r.id, fetch))
    }
}

/// A stream of the items after `start` that pass `mine`: first caught up from the database,
/// then from the broadcast; after a gap (the receiver lagged) caught up from the database again.
fn follow<T, F, Fut>(
    rx: broadcast::Receiver<Arc<T>>,
    start: i64,
    mine: impl Fn(&T) -> bool + Send + Sync + 'static,
    id_of: fn(&T) -> i64,
    fetch: F,
) -> BoxStream<'static, T>
where
    T: Clone + Send + Sync + 'static,
    F: Fn(i64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Vec<T>, RepoError>> + Send,
{
    struct State<T> {
        rx: broadcast::Receiver<Arc<T>>,
        last: i64,
        pending: std::collections::VecDeque<T>,
        catch_up: bool,
    }
    let state = State {
        rx,
        last: start,
        pending: Default::default(),
        catch_up: true,
    };
    futures::stream::unfold(
        (state, Arc::new(mine), Arc::new(fetch)),
        move |(mut s, mine, fetch)| async move {
            loop {
                if let Some(item) = s.pending.pop_front() {
                    s.last = id_of(&item);
                    return Some((item, (s, mine, fetch)));
                }
                if s.catch_up {
                    match fetch(s.last).await {
                        Ok(rows) if !rows.is_empty() => {
                            s.pending.extend(rows.into_iter().filter(|r| mine(r)));
                            if s.pending.is_empty() {
                                // A whole batch of other people's rows: move past it.
                                continue;
                            }
                        }
                        Ok(_) => s.catch_up = false,
                        Err(e) => {
                            tracing::debug!(error = %e, "live stream could not catch up");
                            s.catch_up = false;
                        }
                    }
                    continue;
                }
                match s.rx.recv().await {
                    Ok(item) if id_of(&item) > s.last && mine(&item) => {
                        s.pending.push_back((*item).clone())
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => s.catch_up = true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        },
    )
    .boxed()
}

/// When `actor`'s session expires, if it is still live, active and of the same role; a
/// database that cannot say keeps the stream open (it is checked again at the next event).
async fn still_valid(db: &Database, actor: &Actor) -> Option<chrono::NaiveDateTime> {
    match sessions::find_live(db.reader(), &actor.session, clock::wall()).await {
        Ok(Some(s)) if s.user_active && s.actor.role == actor.role => Some(s.expires_at),
        Ok(_) => None,
        Err(e) => {
            tracing::debug!(error = %e, "could not re-check a stream's session");
            Some(clock::wall() + chrono::Duration::minutes(1))
        }
    }
}

async fn run(
    db: Database,
    (notifications, audit): (
        broadcast::WeakSender<Arc<Notification>>,
        broadcast::WeakSender<Arc<AuditRecord>>,
    ),
    revocations: broadcast::Sender<Revocation>,
    cache: SessionCache,
) {
    let commits = db.commits();
    let reader = db.reader().clone();
    let mut last_notification = notifications::last_id(&reader).await.unwrap_or(0);
    let mut last_audit = audit::last_id(&reader).await.unwrap_or(0);
    let mut last_revocation = sessions::last_revocation(&reader).await.unwrap_or(0);
    let mut pruned = tokio::time::Instant::now();
    loop {
        tokio::select! {
            () = commits.notified() => tokio::time::sleep(DEBOUNCE).await,
            () = tokio::time::sleep(POLL) => {}
        }
        let (Some(n_tx), Some(a_tx)) = (notifications.upgrade(), audit.upgrade()) else {
            return;
        };
        last_revocation = evict(&reader, &cache, &revocations, last_revocation).await;
        if pruned.elapsed() > PRUNE_EVERY {
            pruned = tokio::time::Instant::now();
            let before = crate::clock::wall() - chrono::Duration::minutes(10);
            if let Err(e) = sessions::prune_revocations(db.writer(), before).await {
                tracing::debug!(error = %e, "could not prune revocations");
            }
            crate::rate_budget::prune(&db).await;
        }
        last_notification = relay(
            &n_tx,
            last_notification,
            |after| notifications::newer_than(&reader, None, after, BATCH),
            |n| n.id,
            || notifications::last_id(&reader),
        )
        .await;
        last_audit = relay(
            &a_tx,
            last_audit,
            |after| audit::newer_than(&reader, after, BATCH),
            |r| r.id,
            || audit::last_id(&reader),
        )
        .await;
    }
}

/// How often old revocation events are dropped.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Drops from the cache every session revoked (by any instance) since `last`, and tells the
/// open streams.
async fn evict(
    reader: &fixdesk_db::DatabaseConnection,
    cache: &SessionCache,
    streams: &broadcast::Sender<Revocation>,
    last: i64,
) -> i64 {
    match sessions::revocations_after(reader, last).await {
        Ok(list) => {
            let mut last = last;
            for r in list {
                match &r.session {
                    Some(s) => cache.forget_session(s).await,
                    None => cache.forget_user(r.user),
                }
                last = r.id;
                // Nobody streaming is not an error.
                let _ = streams.send(r);
            }
            last
        }
        Err(e) => {
            tracing::debug!(error = %e, "could not read revocations");
            last
        }
    }
}

/// Sends the rows after `last` to the listeners, or, with nobody listening, just moves `last`
/// to the newest row. Returns the new `last`.
async fn relay<T, R, RF, L, LF>(
    tx: &broadcast::Sender<Arc<T>>,
    last: i64,
    read: R,
    id_of: fn(&T) -> i64,
    latest: L,
) -> i64
where
    R: Fn(i64) -> RF,
    RF: std::future::Future<Output = Result<Vec<T>, RepoError>>,
    L: Fn() -> LF,
    LF: std::future::Future<Output = Result<i64, RepoError>>,
{
    if tx.receiver_count() == 0 {
        return latest().await.unwrap_or(last);
    }
    let mut last = last;
    loop {
        match read(last).await {
            Ok(rows) if !rows.is_empty() => {
                let full = rows.len() as u64 == BATCH;
                for row in rows {
                    last = id_of(&row);
                    // Nobody listening any more is not an error.
                    let _ = tx.send(Arc::new(row));
                }
                if !full {
                    return last;
                }
            }
            Ok(_) => return last,
            Err(e) => {
                tracing::debug!(error = %e, "live feed could not read");
                return last;
            }
        }
    }
}
