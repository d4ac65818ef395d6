//! A consistent copy of the database while the desk serves: SQLite's `VACUUM INTO` (one read
//! transaction, so a snapshot of one moment, compacted; never a copy of the live file, which
//! with its write-ahead log would be torn), or PostgreSQL's `pg_dump` in its custom format.

use std::{os::unix::fs::PermissionsExt, path::Path};

use fixdesk_db::{ConnectionTrait, Database, DbUrl};
use fixdesk_usecases::ServiceError;

use super::BackupError;

/// Writes a snapshot of `db` to `to` (which must not exist).
pub(crate) async fn take(db: &Database, url: &DbUrl, to: &Path) -> Result<(), BackupError> {
    match url {
        DbUrl::SqliteFile(_) => {
            let target = to.display().to_string().replace('\'', "''");
            // A reader: the copy takes a read transaction, writers go on meanwhile.
            db.reader()
                .execute_unprepared(&format!("VACUUM INTO '{target}'"))
                .await
                .map_err(|e| BackupError::Database(ServiceError::internal(e)))?;
            Ok(())
        }
        DbUrl::Postgres(url) => {
            let out = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--no-owner")
                .arg("--file")
                .arg(to)
                .arg("--dbname")
                .arg(url)
                .output()
                .await
                .map_err(|e| {
                    BackupError::Tool(format!(
                        "cannot run pg_dump ({e}): install PostgreSQL's client tools, or back the database up yourself with `pg_dump -Fc` and the files with the `files` of this backup"
                    ))
                })?;
            if !out.status.success() {
                return Err(BackupError::Tool(format!(
                    "pg_dump failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )));
            }
            Ok(())
        }
        DbUrl::SqliteMemory => Err(BackupError::Tool(
            "an in-memory database keeps nothing to back up".into(),
        )),
    }
}

/// Loads a snapshot into the (empty) database at `url`: the SQLite file is put in place;
/// PostgreSQL's dump goes through `pg_restore` (`replace`: dropping what is there first).
pub(crate) async fn load(url: &DbUrl, from: &Path, replace: bool) -> Result<(), BackupError> {
    match url {
        DbUrl::SqliteFile(path) => {
            let (from, path) = (from.to_owned(), path.clone());
            tokio::task::spawn_blocking(move || {
                for stale in ["-wal", "-shm"] {
                    let mut side = path.as_os_str().to_owned();
                    side.push(stale);
                    let _ = std::fs::remove_file(side);
                }
                std::fs::rename(&from, &path)?;
                // The database holds every password hash: its owner's alone.
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            })
            .await
            .map_err(std::io::Error::other)??;
            Ok(())
        }
        DbUrl::Postgres(url) => {
            let mut cmd = tokio::process::Command::new("pg_restore");
            cmd.arg("--no-owner").arg("--exit-on-error");
            if replace {
                cmd.arg("--clean").arg("--if-exists");
            }
            let out = cmd
                .arg("--dbname")
                .arg(url)
                .arg(from)
                .output()
                .await
                .map_err(|e| {
                    BackupError::Tool(format!(
                        "cannot run pg_restore ({e}): install PostgreSQL's client tools"
                    ))
                })?;
            if !out.status.success() {
                return Err(BackupError::Tool(format!(
                    "pg_restore failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )));
            }
            Ok(())
        }
        DbUrl::SqliteMemory => Err(BackupError::Tool(
            "cannot restore into an in-memory database".into(),
        )),
    }
}
