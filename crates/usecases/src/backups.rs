use async_trait::async_trait;
use fixdesk_domain::{Actor, Job, backup::BackupStatus};

use crate::ServiceError;

/// The desk's backups (admins): where they stand, and one made now.
#[async_trait]
pub trait BackupUseCases: Send + Sync {
    /// The schedule, the last success and failure, and the archives in the directory.
    async fn status(&self, actor: &Actor) -> Result<BackupStatus, ServiceError>;
    /// Queues a backup now (into `backup_dir`); refused while one is queued or running.
    async fn start(&self, actor: &Actor) -> Result<Job, ServiceError>;
    /// The last success and failure, for `/ready` (no listing, no actor); `None` when the desk
    /// makes no backups of its own or the database does not answer.
    async fn health(&self) -> Option<BackupStatus>;
}
