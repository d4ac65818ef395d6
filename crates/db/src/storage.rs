//! Whether the SQLite file can still take writes that will survive a restart.
//!
//! A connection keeps writing to the file it opened even after that file is deleted or
//! replaced: every such write would be acknowledged and then lost at the next start. And a
//! file made read-only, or a disk with no room left, turns writes into failures. A small task
//! looks at the file once a second; writes are refused (as [`DbError::Unavailable`]) while
//! the file is not the one this process opened or is read-only, and readiness reports why.

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, Weak,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use fixdesk_domain::StorageProblem;

use crate::DbError;

/// Below this much free space on the database's file system the instance reports itself not
/// ready: SQLite needs room for the write-ahead log before it can commit anything.
pub const MIN_FREE_BYTES: u64 = 4 * 1024 * 1024;
/// How often the file is looked at.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// A [`StorageProblem`] as the watch's atomic state holds it (0: none).
fn code(problem: Option<StorageProblem>) -> u8 {
    match problem {
        None => 0,
        Some(StorageProblem::FileMissing) => 1,
        Some(StorageProblem::FileReplaced) => 2,
        Some(StorageProblem::ReadOnly) => 3,
        Some(StorageProblem::CapReached) => 4,
        Some(StorageProblem::DiskFull) => 5,
        Some(StorageProblem::RecentWriteFailure) => 6,
    }
}

fn from_code(code: u8) -> Option<StorageProblem> {
    match code {
        1 => Some(StorageProblem::FileMissing),
        2 => Some(StorageProblem::FileReplaced),
        3 => Some(StorageProblem::ReadOnly),
        4 => Some(StorageProblem::CapReached),
        5 => Some(StorageProblem::DiskFull),
        6 => Some(StorageProblem::RecentWriteFailure),
        _ => None,
    }
}

/// Identifies a file across renames: the device and inode it was opened as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    dev: u64,
    ino: u64,
}

#[derive(Debug)]
struct Watched {
    path: PathBuf,
    opened: Option<Identity>,
    /// 0: fine; otherwise a [`StorageProblem`] code.
    state: AtomicU8,
}

/// The watch on one SQLite file. Cheap to clone; the watching task ends with the last clone.
#[derive(Debug, Clone)]
pub(crate) struct FileWatch {
    inner: Arc<Watched>,
}

impl FileWatch {
    /// Remembers which file `path` is now and starts looking at it once a second.
    pub(crate) async fn start(path: &Path) -> Self {
        let path = tokio::fs::canonicalize(path)
            .await
            .unwrap_or_else(|_| path.to_path_buf());
        let opened = identity(&path).await;
        let inner = Arc::new(Watched {
            path,
            opened,
            state: AtomicU8::new(0),
        });
        tokio::spawn(watch(Arc::downgrade(&inner)));
        Self { inner }
    }

    /// What stops writes right now, if anything (a deleted, replaced or read-only file).
    pub(crate) fn problem(&self) -> Option<StorageProblem> {
        from_code(self.inner.state.load(Ordering::Acquire))
    }

    /// Refuses a write that could not be made durable.
    pub(crate) fn check(&self) -> Result<(), DbError> {
        match self.problem() {
            Some(p) => Err(DbError::Unavailable(p.to_string())),
            None => Ok(()),
        }
    }

    /// Looks at the file now (readiness asks, and must not be a second behind).
    pub(crate) async fn refresh(&self) -> Option<StorageProblem> {
        let found = inspect(&self.inner).await;
        self.inner.state.store(code(found), Ordering::Release);
        found
    }

    /// Whether the file system holding the file has room for the write-ahead log.
    pub(crate) async fn disk_has_room(&self) -> bool {
        let dir = self
            .inner
            .path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        tokio::task::spawn_blocking(move || match rustix::fs::statvfs(&dir) {
            Ok(s) => s.f_bavail.saturating_mul(s.f_frsize) >= MIN_FREE_BYTES,
            // A file system that cannot say is given the benefit of the doubt.
            Err(_) => true,
        })
        .await
        .unwrap_or(true)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.inner.path
    }
}

async fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    tokio::fs::metadata(path).await.ok().map(|m| Identity {
        dev: m.dev(),
        ino: m.ino(),
    })
}

async fn inspect(w: &Watched) -> Option<StorageProblem> {
    use std::os::unix::fs::MetadataExt;
    let meta = match tokio::fs::metadata(&w.path).await {
        Ok(m) => m,
        Err(_) => return Some(StorageProblem::FileMissing),
    };
    let now = Identity {
        dev: meta.dev(),
        ino: meta.ino(),
    };
    if w.opened.is_some_and(|o| o != now) {
        return Some(StorageProblem::FileReplaced);
    }
    // The owner's write bit: an operator who chmods the file means "no more writes", even to
    // a process (root) that the kernel would still let write.
    if meta.mode() & 0o200 == 0 {
        return Some(StorageProblem::ReadOnly);
    }
    None
}

async fn watch(watched: Weak<Watched>) {
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        let Some(w) = watched.upgrade() else { return };
        let found = inspect(&w).await;
        let before = w.state.swap(code(found), Ordering::AcqRel);
        if before != code(found) {
            match found {
                Some(p) => {
                    tracing::error!(path = %w.path.display(), "database writes stopped: {p}")
                }
                None => tracing::warn!(path = %w.path.display(), "database file writable again"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_deleted_replaced_or_read_only_file_stops_writes_and_a_restored_one_allows_them()
    -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("db");
        std::fs::write(&path, b"x")?;
        let watch = FileWatch::start(&path).await;
        assert_eq!(watch.refresh().await, None);

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444))?;
        assert_eq!(watch.refresh().await, Some(StorageProblem::ReadOnly));
        assert!(watch.check().is_err());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
        assert_eq!(watch.refresh().await, None);
        assert!(watch.check().is_ok());

        // SQLite holds the file it opened, so its inode cannot be reused by a new file.
        let _held = std::fs::File::open(&path)?;
        std::fs::remove_file(&path)?;
        assert_eq!(watch.refresh().await, Some(StorageProblem::FileMissing));
        std::fs::write(&path, b"a new file at the same path")?;
        assert_eq!(watch.refresh().await, Some(StorageProblem::FileReplaced));
        Ok(())
    }
}

/// How long `/ready` keeps reporting a failed write: long enough for a load balancer polling
/// every few seconds to see it, short enough that an instance whose storage recovered takes
/// traffic again soon (nothing else would clear it: a not-ready instance gets no writes).
const RECENT: std::time::Duration = std::time::Duration::from_secs(5);

/// When a write last failed on the storage (a commit refused as unavailable, or a connection
/// left inside a transaction SQLite rolled back by itself). A full disk can still take a small
/// write into log space a failed one left behind, so the readiness probe's own write is not
/// enough to see it.
#[derive(Debug, Default)]
pub(crate) struct WriteFailures {
    last: std::sync::Mutex<Option<std::time::Instant>>,
}

impl WriteFailures {
    pub(crate) fn record(&self) {
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(std::time::Instant::now());
    }

    pub(crate) fn recent(&self) -> bool {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|t| t.elapsed() < RECENT)
    }
}
