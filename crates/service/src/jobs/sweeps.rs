//! Periodic sweeps (service levels, preventive maintenance, mail): a job of one kind queued
//! every so often while the service lives, at most one waiting or running at a time however
//! many instances share the database.

use std::{sync::Weak, time::Duration};

use fixdesk_domain::{Job, JobKind, JobState};
use fixdesk_repository::jobs;
use fixdesk_usecases::ServiceError;

use crate::{clock, context::Context};

/// Queues a sweep of `kind` every `every` while the service lives.
pub(crate) async fn schedule(ctx: Weak<Context>, kind: JobKind, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let Some(ctx) = ctx.upgrade() else { return };
        if let Err(e) = enqueue(&ctx, kind).await {
            tracing::debug!(error = %e, kind = kind.as_str(), "could not queue a sweep");
        }
    }
}

/// Queues a sweep of `kind` unless one is already waiting or running; the job, if queued.
pub(crate) async fn enqueue(ctx: &Context, kind: JobKind) -> Result<Option<Job>, ServiceError> {
    let uow = ctx.db.begin_write().await?;
    if jobs::any_in(uow.conn(), kind, &[JobState::Queued, JobState::Running]).await? {
        return Ok(None);
    }
    let job = jobs::enqueue(uow.conn(), kind, "{}".into(), None, clock::wall()).await?;
    uow.commit().await?;
    Ok(Some(job))
}
