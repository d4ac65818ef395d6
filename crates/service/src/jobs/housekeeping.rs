//! Housekeeping: a finished job is kept for the desk's `job_history` (its requester can still
//! download an export, an operator can read what a sweep did), then removed — an export with
//! its file — so the job table and the file store do not grow with every sweep for ever. Dead
//! jobs stay until an operator retries them.

use std::{sync::Arc, time::Duration};

use fixdesk_domain::JobKind;
use fixdesk_repository::jobs;
use fixdesk_usecases::ServiceError;
use serde::Serialize;

use crate::{clock, context::Context, statistics::exports};

/// How often housekeeping is queued.
pub(crate) const EVERY: Duration = Duration::from_secs(60 * 60);

/// Jobs removed per transaction, so the SQLite writer is never held for long.
const BATCH: u64 = 500;

/// What one round of housekeeping removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Housekept {
    /// Finished jobs removed, exports included.
    pub jobs: u64,
    /// Exports among them, each removed with its file.
    pub exports: u64,
}

/// Runs housekeeping as a job: what it removed is the job's result.
pub(crate) async fn run(ctx: &Arc<Context>) -> Result<String, ServiceError> {
    let done = match ctx.job_history {
        Some(keep) => prune(ctx, keep).await?,
        None => Housekept::default(),
    };
    serde_json::to_string(&done).map_err(ServiceError::internal)
}

/// Removes the jobs that finished more than `keep` ago, an export's file before its row (a
/// file that cannot be removed keeps its row for the next round, so no file is orphaned).
pub(crate) async fn prune(ctx: &Context, keep: Duration) -> Result<Housekept, ServiceError> {
    let mut done = Housekept::default();
    // Kept longer than the calendar reaches: nothing is that old.
    let Some(before) = chrono::Duration::from_std(keep)
        .ok()
        .and_then(|keep| clock::wall().checked_sub_signed(keep))
    else {
        return Ok(done);
    };
    loop {
        let batch = jobs::done_before(ctx.db.reader(), before, BATCH).await?;
        let mut removable = Vec::with_capacity(batch.len());
        for job in &batch {
            if job.kind != JobKind::ExportTickets.as_str() {
                removable.push(job.id);
                continue;
            }
            match exports::remove_file(ctx, job).await {
                Ok(()) => {
                    removable.push(job.id);
                    done.exports += 1;
                }
                Err(e) => {
                    tracing::warn!(job = job.id, error = %e, "could not remove an export's file")
                }
            }
        }
        if !removable.is_empty() {
            let uow = ctx.db.begin_write().await?;
            done.jobs += jobs::remove_done(uow.conn(), &removable).await?;
            uow.commit().await?;
        }
        // A batch whose files all failed would come back unchanged: stop, and retry next round.
        if (batch.len() as u64) < BATCH || removable.is_empty() {
            return Ok(done);
        }
    }
}
