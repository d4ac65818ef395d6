//! Why an instance should take no traffic: what `/ready` reports and a load balancer acts on.

use thiserror::Error;

/// Why the storage cannot take a write that would survive a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum StorageProblem {
    #[error("the database file was deleted under the running server; restart it")]
    FileMissing,
    #[error("the database file was replaced under the running server; restart it")]
    FileReplaced,
    #[error("the database file is read-only")]
    ReadOnly,
    #[error("the database has reached its configured size cap")]
    CapReached,
    #[error("the disk holding the database is (nearly) full")]
    DiskFull,
    #[error("a write to the database failed in the last seconds (disk full or failing?)")]
    RecentWriteFailure,
}

/// Why this instance is not ready. The text is what `/ready` answers in `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NotReady {
    #[error("the database does not answer")]
    Unreachable,
    #[error(transparent)]
    Storage(#[from] StorageProblem),
    #[error("a write to the database failed: {0}")]
    WriteFailed(String),
    #[error("a write to the database did not finish in time")]
    WriteTimedOut,
    #[error("cannot read the migration state")]
    MigrationStateUnknown,
    #[error("{0} migration(s) pending")]
    MigrationsPending(usize),
}
