//! Restoring a backup into an empty desk: every entry checked against the manifest before
//! anything is put in place, the database loaded (the SQLite file moved in, or `pg_restore`),
//! the files put back under `data_dir`, then the desk opened (migrations bring an older backup
//! up to date) and checked the way `audit verify` and `stats verify` check it.

use std::{
    io,
    path::{Path, PathBuf},
};

use fixdesk_db::{Database, DbUrl};
use fixdesk_repository::backups;

use super::{BackupError, KEPT_DIRS, archive, backend_name, database_name, snapshot};
use crate::{Fixdesk, ServiceSettings};

/// What a restore brought back, and what the checks after it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// When the backup was made, and by which fixdesk.
    pub created_at: chrono::NaiveDateTime,
    pub made_by: String,
    /// Rows of the main tables, as restored.
    pub counts: Vec<(&'static str, i64)>,
    pub files: usize,
    /// Audit rows found edited, deleted or out of order (`audit verify`): 0 for a good backup.
    pub audit_problems: usize,
    /// Statistics counters that differ from a recount (`stats verify`): 0 for a good backup.
    pub counter_differences: usize,
}

/// Checks a backup without restoring it: every entry present with its checksum. Returns when
/// it was made and how many files it holds.
pub async fn check(from: &Path) -> Result<(chrono::NaiveDateTime, usize), BackupError> {
    let from = from.to_owned();
    tokio::task::spawn_blocking(move || {
        let scratch = tempfile::tempdir()?;
        let manifest = archive::unpack(&from, scratch.path())?;
        Ok((manifest.created_at, manifest.files.len()))
    })
    .await
    .map_err(io::Error::other)?
}

/// Restores `from` into the database and `data_dir` of `settings`, which must be empty unless
/// `replace` (then what they hold is replaced).
pub async fn restore(
    settings: &ServiceSettings,
    from: &Path,
    replace: bool,
) -> Result<RestoreReport, BackupError> {
    let url = DbUrl::parse(&settings.database_url).map_err(|e| BackupError::Database(e.into()))?;
    let data_dir = settings.data_dir.clone();
    tokio::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&data_dir)
        .await?;
    // Unpacked beside the files' final place, so putting them there is a rename.
    let staging = tempfile::Builder::new()
        .prefix(".fixdesk-restore-")
        .tempdir_in(&data_dir)?;
    let (archive_path, into) = (from.to_owned(), staging.path().to_owned());
    let manifest = tokio::task::spawn_blocking(move || archive::unpack(&archive_path, &into))
        .await
        .map_err(io::Error::other)??;
    let backend = match &url {
        DbUrl::Postgres(_) => fixdesk_db::Backend::Postgres,
        _ => fixdesk_db::Backend::Sqlite,
    };
    if manifest.backend != backend_name(backend) {
        return Err(BackupError::Refused(format!(
            "this backup is of a {} database and cannot be restored into {}",
            manifest.backend,
            backend_name(backend)
        )));
    }
    if !replace {
        refuse_unless_empty(settings, &url, &data_dir).await?;
    }
    for dir in KEPT_DIRS {
        match tokio::fs::remove_dir_all(data_dir.join(dir)).await {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    snapshot::load(
        &url,
        &staging.path().join("database").join(database_name(backend)),
        replace,
    )
    .await?;
    for dir in KEPT_DIRS {
        let unpacked = staging.path().join("files").join(dir);
        if tokio::fs::try_exists(&unpacked).await? {
            tokio::fs::rename(&unpacked, data_dir.join(dir)).await?;
        }
    }
    drop(staging);
    let service = Fixdesk::open(ServiceSettings {
        migrate_on_start: true,
        ..settings.clone()
    })
    .await?;
    let operator = service.operator();
    let audit_problems = operator.verify_audit().await?.len();
    let counter_differences = operator.verify_statistics().await?.len();
    let (counts, _) = backups::inventory(service.database().reader()).await?;
    service.database().clone().close().await;
    Ok(RestoreReport {
        created_at: manifest.created_at,
        made_by: manifest.fixdesk,
        counts,
        files: manifest.files.len(),
        audit_problems,
        counter_differences,
    })
}

/// Refuses a target that holds a desk already: a database with tables, or files in
/// `data_dir`'s kept directories.
async fn refuse_unless_empty(
    settings: &ServiceSettings,
    url: &DbUrl,
    data_dir: &Path,
) -> Result<(), BackupError> {
    let holds = match url {
        DbUrl::SqliteFile(path) => match tokio::fs::metadata(path).await {
            Ok(m) if m.len() > 0 => tables_in(settings).await?,
            _ => false,
        },
        _ => tables_in(settings).await?,
    };
    let files = {
        let data_dir = data_dir.to_owned();
        tokio::task::spawn_blocking(move || super::kept_files(&data_dir))
            .await
            .map_err(io::Error::other)??
    };
    if holds || !files.is_empty() {
        return Err(BackupError::Refused(format!(
            "{} or {} already holds a desk; restore into an empty database and data_dir, or pass --force to replace what is there",
            url.location(),
            PathBuf::from(data_dir).display()
        )));
    }
    Ok(())
}

async fn tables_in(settings: &ServiceSettings) -> Result<bool, BackupError> {
    let db = Database::connect_with(&settings.database_url, &settings.pool)
        .await
        .map_err(|e| BackupError::Database(e.into()))?;
    let holds = backups::holds_tables(db.reader()).await?;
    db.close().await;
    Ok(holds)
}
