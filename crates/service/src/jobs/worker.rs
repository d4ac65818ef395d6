//! The workers of the job queue. Each claims a job (with a [`Lease`]), hands it to the handler
//! of its kind, and records the outcome; a failure is retried with back-off and ends `dead`
//! after the last attempt. Workers stop when the service is dropped.

use std::{
    sync::{Arc, Weak},
    time::Duration,
};

use fixdesk_domain::{Job, JobKind};
use fixdesk_repository::jobs;
use fixdesk_usecases::ServiceError;

use crate::{
    backup, clock, context::Context, equipment::preventive, jobs::failure::Shown,
    jobs::housekeeping, jobs::lease, jobs::lease::Lease, jobs::sweeps, mail,
    notifications::recipients, random, search, sla, statistics, statistics::exports,
};

/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_millis(250);

/// Starts `count` workers.
pub(crate) fn start(ctx: &Arc<Context>, count: usize) {
    for n in 0..count {
        let name = format!("{}-{n}", random::hex(4));
        tokio::spawn(work(Arc::downgrade(ctx), name));
    }
    if count > 0 {
        let sweeps = [
            (JobKind::SlaSweep, Some(sla::sweep::EVERY)),
            (JobKind::MaintenanceSweep, Some(preventive::EVERY)),
            (
                JobKind::Housekeeping,
                ctx.job_history.map(|_| housekeeping::EVERY),
            ),
            // Backups are looked at only where they are configured.
            (
                JobKind::Backup,
                ctx.backup.as_ref().map(|_| backup::CHECK_EVERY),
            ),
            // Mail is swept only where it is configured.
            (
                JobKind::MailSweep,
                ctx.mailer.as_ref().map(|m| m.sweep_every),
            ),
        ];
        for (kind, every) in sweeps {
            if let Some(every) = every {
                tokio::spawn(sweeps::schedule(Arc::downgrade(ctx), kind, every));
            }
        }
    }
}

async fn work(ctx: Weak<Context>, worker: String) {
    loop {
        let Some(ctx) = ctx.upgrade() else { return };
        match next(&ctx, &worker).await {
            Ok(Some(job)) => {
                let lease = Lease::new(ctx.db.clone(), job, worker.clone());
                let outcome = run(&ctx, &lease).await;
                if let Err(e) = finish(&ctx, &lease, outcome).await {
                    tracing::warn!(job = lease.job().id, error = %e, "could not record a job's outcome");
                }
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::debug!(error = %e, "job queue not reachable"),
        }
        // Queued jobs wake the workers at once where the database tells (PostgreSQL).
        let queued = ctx.db.job_wakeups();
        drop(ctx);
        tokio::select! {
            () = queued.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

async fn next(ctx: &Context, worker: &str) -> Result<Option<Job>, ServiceError> {
    let uow = ctx.db.begin_write().await?;
    let job = jobs::claim(uow.conn(), worker, clock::wall(), lease::duration()).await?;
    uow.commit().await?;
    Ok(job)
}

/// Runs the job with the handler of its kind; what it returns is the job's result (JSON).
async fn run(ctx: &Arc<Context>, lease: &Lease) -> Result<String, ServiceError> {
    let job = lease.job();
    match JobKind::parse(&job.kind) {
        Some(JobKind::ExportTickets) => exports::run(ctx, lease).await,
        Some(JobKind::StatsRebuild) => statistics::rebuild(ctx).await,
        Some(JobKind::NotifyNewTicket) => recipients::fan_out(ctx, job).await,
        Some(JobKind::SlaSweep) => sla::sweep::run(ctx).await,
        Some(JobKind::SlaRecount) => sla::recount::run(ctx).await,
        Some(JobKind::MaintenanceSweep) => preventive::run(ctx).await,
        Some(JobKind::SearchRebuild) => search::rebuild(ctx).await,
        Some(JobKind::MailSweep) => mail::sweep::run(ctx).await,
        Some(JobKind::MailSend) => mail::send::run(ctx, job).await,
        Some(JobKind::Housekeeping) => housekeeping::run(ctx).await,
        Some(JobKind::Backup) => backup::run_scheduled(ctx, lease).await,
        None => Err(ServiceError::Internal(
            format!("unknown job kind {}", job.kind).into(),
        )),
    }
}

async fn finish(
    ctx: &Context,
    lease: &Lease,
    outcome: Result<String, ServiceError>,
) -> Result<(), ServiceError> {
    let (job, worker) = (lease.job(), lease.worker());
    let uow = ctx.db.begin_write().await?;
    match outcome {
        Ok(result) => {
            jobs::complete(uow.conn(), job.id, worker, result, clock::wall()).await?;
        }
        Err(e) => {
            let reason = match &e {
                ServiceError::Internal(source) if source.is::<Shown>() => source.to_string(),
                e => e.to_string(),
            };
            tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %reason, "job failed");
            jobs::fail(uow.conn(), job, worker, &reason, clock::wall()).await?;
        }
    }
    uow.commit().await?;
    Ok(())
}
