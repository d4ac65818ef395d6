//! The workers of the job queue. Each claims a job (with a lease), runs it outside any
//! transaction, keeps its lease alive while it works, and records the outcome; a failure is
//! retried with back-off and ends `dead` after the last attempt. Workers stop when the service
//! is dropped.

use std::{
    sync::{Arc, Weak},
    time::Duration,
};

use fixdesk_domain::Job;
use fixdesk_repository::jobs;
use fixdesk_usecases::ServiceError;

use crate::{clock, exports, facade::Context, notify, random};

/// How long a claim holds a job without a heartbeat.
pub(crate) const LEASE_SECS: i64 = 60;
/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_millis(250);

pub(crate) const EXPORT_TICKETS: &str = "export_tickets";
pub(crate) const STATS_REBUILD: &str = "stats_rebuild";
pub(crate) const NOTIFY_NEW_TICKET: &str = "notify_new_ticket";

pub(crate) fn lease() -> chrono::Duration {
    chrono::Duration::seconds(LEASE_SECS)
}

/// Starts `count` workers.
pub(crate) fn start(ctx: &Arc<Context>, count: usize) {
    for n in 0..count {
        let name = format!("{}-{n}", random::hex(4));
        tokio::spawn(work(Arc::downgrade(ctx), name));
    }
}

async fn work(ctx: Weak<Context>, worker: String) {
    loop {
        let Some(ctx) = ctx.upgrade() else { return };
        match next(&ctx, &worker).await {
            Ok(Some(job)) => {
                let outcome = run(&ctx, &job, &worker).await;
                if let Err(e) = finish(&ctx, &job, &worker, outcome).await {
                    tracing::warn!(job = job.id, error = %e, "could not record a job's outcome");
                }
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::debug!(error = %e, "job queue not reachable"),
        }
        drop(ctx);
        tokio::time::sleep(POLL).await;
    }
}

async fn next(ctx: &Context, worker: &str) -> Result<Option<Job>, ServiceError> {
    let uow = ctx.db.begin_write().await?;
    let job = jobs::claim(uow.conn(), worker, clock::now(), lease()).await?;
    uow.commit().await?;
    Ok(job)
}

async fn run(ctx: &Arc<Context>, job: &Job, worker: &str) -> Result<String, ServiceError> {
    match job.kind.as_str() {
        EXPORT_TICKETS => exports::run(ctx, job, worker).await,
        STATS_REBUILD => {
            let uow = ctx.db.begin_write().await?;
            fixdesk_repository::stats::lock_tickets(uow.conn()).await?;
            let counters = fixdesk_repository::stats::recompute(uow.conn()).await?;
            fixdesk_repository::stats::replace(uow.conn(), &counters).await?;
            uow.commit().await?;
            Ok(serde_json::json!({"counters": counters.len()}).to_string())
        }
        NOTIFY_NEW_TICKET => {
            let fan_out: notify::NewTicketFanOut =
                serde_json::from_str(&job.payload).map_err(ServiceError::internal)?;
            let uow = ctx.db.begin_write().await?;
            notify::ticket_created(uow.conn(), &fan_out, clock::now()).await?;
            uow.commit().await?;
            Ok(String::new())
        }
        other => Err(ServiceError::Internal(
            format!("unknown job kind {other}").into(),
        )),
    }
}

async fn finish(
    ctx: &Context,
    job: &Job,
    worker: &str,
    outcome: Result<String, ServiceError>,
) -> Result<(), ServiceError> {
    let uow = ctx.db.begin_write().await?;
    match outcome {
        Ok(result) => {
            jobs::complete(uow.conn(), job.id, worker, result, clock::now()).await?;
        }
        Err(e) => {
            tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %e, "job failed");
            jobs::fail(uow.conn(), job, worker, &e.to_string(), clock::now()).await?;
        }
    }
    uow.commit().await?;
    Ok(())
}

/// Extends the lease and records progress; an error means the job is no longer ours.
pub(crate) async fn heartbeat(
    ctx: &Context,
    job: &Job,
    worker: &str,
    progress: i32,
) -> Result<(), ServiceError> {
    let uow = ctx.db.begin_write().await?;
    let ours = jobs::heartbeat(uow.conn(), job.id, worker, progress, clock::now(), lease()).await?;
    uow.commit().await?;
    if ours {
        Ok(())
    } else {
        Err(ServiceError::Internal("the job's lease was lost".into()))
    }
}
