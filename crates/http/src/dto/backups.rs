//! The desk's backups on the wire.

use fixdesk_usecases::domain::backup::{BackupFile, BackupRecord, BackupStatus};
use poem_openapi::Object;

/// One backup the desk attempted.
#[derive(Debug, Object)]
pub struct BackupRecordOut {
    /// The job that made it (as `POST /backups` answered).
    #[oai(nullable)]
    pub job_id: Option<i64>,
    pub started_at: chrono::NaiveDateTime,
    #[oai(nullable)]
    pub finished_at: Option<chrono::NaiveDateTime>,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// The archive's name in the backup directory.
    #[oai(nullable)]
    pub file: Option<String>,
    #[oai(nullable)]
    pub size: Option<i64>,
    /// Why it failed.
    #[oai(nullable)]
    pub error: Option<String>,
}

impl From<BackupRecord> for BackupRecordOut {
    fn from(r: BackupRecord) -> Self {
        Self {
            job_id: r.job_id,
            started_at: r.started_at,
            finished_at: r.finished_at,
            state: r.state,
            file: r.file,
            size: r.size,
            error: r.error,
        }
    }
}

/// An archive in the backup directory.
#[derive(Debug, Object)]
pub struct BackupFileOut {
    pub name: String,
    pub size: u64,
    #[oai(nullable)]
    pub modified: Option<chrono::NaiveDateTime>,
}

impl From<BackupFile> for BackupFileOut {
    fn from(f: BackupFile) -> Self {
        Self {
            name: f.name,
            size: f.size,
            modified: f.modified,
        }
    }
}

/// Where the desk stands with its backups.
#[derive(Debug, Object)]
pub struct BackupStatusOut {
    /// Whether the desk backs itself up (`backup_dir` set).
    pub scheduled: bool,
    #[oai(nullable)]
    pub dir: Option<String>,
    pub every_hours: u64,
    pub keep: u64,
    #[oai(nullable)]
    pub last_success: Option<BackupRecordOut>,
    #[oai(nullable)]
    pub last_failure: Option<BackupRecordOut>,
    /// The backup under way, if one is.
    #[oai(nullable)]
    pub running: Option<BackupRecordOut>,
    /// The newest attempt failed.
    pub failing: bool,
    /// The archives in the directory, newest first.
    pub files: Vec<BackupFileOut>,
}

impl From<BackupStatus> for BackupStatusOut {
    fn from(s: BackupStatus) -> Self {
        Self {
            failing: s.failing(),
            scheduled: s.scheduled,
            dir: s.dir,
            every_hours: s.every_hours,
            keep: s.keep,
            last_success: s.last_success.map(Into::into),
            last_failure: s.last_failure.map(Into::into),
            running: s.running.map(Into::into),
            files: s.files.into_iter().map(Into::into).collect(),
        }
    }
}
