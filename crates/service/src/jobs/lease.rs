//! A worker's claim on one job: held for [`duration`] and renewed while the job runs, so a
//! worker that dies leaves a job another will take again once the lease lapses.

use fixdesk_db::Database;
use fixdesk_domain::Job;
use fixdesk_repository::jobs;
use fixdesk_usecases::ServiceError;

use crate::clock;

/// How long a claim holds a job without being renewed.
pub(crate) fn duration() -> chrono::Duration {
    chrono::Duration::seconds(60)
}

/// The claim a job handler renews as it makes progress.
#[derive(Debug, Clone)]
pub(crate) struct Lease {
    db: Database,
    job: Job,
    worker: String,
}

impl Lease {
    pub(crate) fn new(db: Database, job: Job, worker: String) -> Self {
        Self { db, job, worker }
    }

    pub(crate) fn job(&self) -> &Job {
        &self.job
    }

    pub(crate) fn worker(&self) -> &str {
        &self.worker
    }

    /// Extends the lease and records `progress` (0–100); an error means the job is no longer
    /// this worker's and the handler must stop.
    pub(crate) async fn renew(&self, progress: i32) -> Result<(), ServiceError> {
        let uow = self.db.begin_write().await?;
        let ours = jobs::heartbeat(
            uow.conn(),
            self.job.id,
            &self.worker,
            progress,
            clock::wall(),
            duration(),
        )
        .await?;
        uow.commit().await?;
        if ours {
            Ok(())
        } else {
            Err(ServiceError::Internal("the job's lease was lost".into()))
        }
    }
}
