//! Backups: one file holding a consistent snapshot of the database and every file the desk
//! keeps on disk, with a manifest of checksums (`archive`, `snapshot`); restoring such a file
//! into an empty desk and checking what came back (`restore`); and the desk's own schedule of
//! backups, run by the job queue once across instances, with rotation (`schedule`).

mod archive;
mod restore;
mod schedule;
mod snapshot;

use std::{
    io,
    path::{Path, PathBuf},
};

use fixdesk_db::{Backend, DbUrl};
use fixdesk_repository::backups;
use fixdesk_usecases::ServiceError;

pub use archive::ArchiveError;
pub use restore::{RestoreReport, check, restore};
pub(crate) use schedule::{Backups, CHECK_EVERY, run_scheduled};

use crate::context::Context;

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Database(#[from] ServiceError),
    /// A tool it needs (pg_dump) is missing or failed.
    #[error("{0}")]
    Tool(String),
    #[error(transparent)]
    Archive(#[from] archive::ArchiveError),
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The target is not what a restore may go into (not empty, another database kind).
    #[error("{0}")]
    Refused(String),
}

impl From<fixdesk_repository::RepoError> for BackupError {
    fn from(e: fixdesk_repository::RepoError) -> Self {
        BackupError::Database(e.into())
    }
}

/// What one backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub file: PathBuf,
    /// Bytes of the archive.
    pub size: u64,
    /// Files copied (attachments and exports on disk).
    pub files: usize,
    /// Files named at the snapshot but removed before they were copied.
    pub missing: usize,
}

/// The database's kind, as the manifest names it.
fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// The snapshot's name inside the archive.
fn database_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "fixdesk.db",
        Backend::Postgres => "fixdesk.pgdump",
    }
}

/// The directory a backup's snapshot is taken into, beside the archive (removed when the
/// backup ends; one a killed backup left is removed by the next).
const STAGING_PREFIX: &str = ".fixdesk-backup-";

/// The directories of `data_dir` whose files a backup carries.
const KEPT_DIRS: [&str; 2] = ["attachments", "exports"];

/// Every finished file under the kept directories of `data_dir` (blocking), with its path in
/// the archive (`attachments/uploads/<uuid>.png`). Half-written uploads (`.part`) are left.
fn kept_files(data_dir: &Path) -> io::Result<Vec<(PathBuf, String)>> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, String)>) -> io::Result<()> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(&path, base, out)?;
            } else if kind.is_file() && path.extension().is_none_or(|e| e != "part") {
                let relative = path.strip_prefix(base).map_err(io::Error::other)?;
                out.push((path.clone(), relative.to_string_lossy().into_owned()));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for dir in KEPT_DIRS {
        walk(&data_dir.join(dir), data_dir, &mut out)?;
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// Backs the desk up into `target` (a file, or a directory to put a dated archive in) while it
/// serves.
pub(crate) async fn make(
    ctx: &Context,
    database_url: &str,
    data_dir: &Path,
    target: &Path,
) -> Result<BackupReport, BackupError> {
    let url = DbUrl::parse(database_url).map_err(|e| BackupError::Database(e.into()))?;
    let now = ctx.clock.now();
    let target = if target.is_dir() {
        target.join(fixdesk_domain::backup::archive_name(now))
    } else {
        target.to_owned()
    };
    if tokio::fs::try_exists(&target).await? {
        return Err(BackupError::Refused(format!(
            "{} exists already; a backup never replaces another",
            target.display()
        )));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&dir)?;
    let backend = ctx.db.backend();
    let (_, migration) = backups::inventory(ctx.db.reader()).await?;
    let snapshot = staging.path().join(database_name(backend));
    snapshot::take(&ctx.db, &url, &snapshot).await?;
    let manifest = archive::Manifest {
        format: archive::FORMAT.into(),
        version: archive::VERSION,
        created_at: now,
        fixdesk: env!("CARGO_PKG_VERSION").into(),
        backend: backend_name(backend).into(),
        migration,
        database: archive::Entry {
            path: String::new(),
            size: 0,
            sha256: String::new(),
        },
        files: Vec::new(),
        missing: Vec::new(),
        counts: Default::default(),
    };
    let data_dir = data_dir.to_owned();
    let archive = target.clone();
    // Tar, gzip and checksums are CPU and disk work: off the async threads. The staging
    // directory (and the snapshot in it) goes when this ends, whatever happened.
    let written = tokio::task::spawn_blocking(move || {
        let files = kept_files(&data_dir)?;
        let written = archive::write(
            &archive,
            &snapshot,
            database_name(backend),
            &files,
            manifest,
        );
        drop(staging);
        written
    })
    .await
    .map_err(io::Error::other)??;
    Ok(BackupReport {
        file: target,
        size: written.size,
        files: written.files,
        missing: written.missing,
    })
}
