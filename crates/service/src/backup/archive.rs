//! The backup file: a gzip-compressed tar holding the database's snapshot under `database/`,
//! every stored file under `files/`, and last `manifest.json`, which names each with its size
//! and SHA-256. It is written as `<name>.partial` and renamed only once complete and flushed,
//! so a backup killed half-way never leaves a file that looks finished. Reading checks every
//! entry against the manifest before anything is restored. Blocking I/O: callers run these on
//! the blocking pool.

use std::{
    collections::BTreeMap,
    fs::File,
    io::{self, BufWriter, Read, Write},
    os::unix::fs::{DirBuilderExt, OpenOptionsExt},
    path::{Component, Path, PathBuf},
};

use flate2::{Compression, read::GzDecoder, write::GzEncoder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the manifest says the file is.
pub(crate) const FORMAT: &str = "fixdesk-backup";
pub(crate) const VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";

/// One entry of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// What the archive holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub format: String,
    pub version: u32,
    pub created_at: chrono::NaiveDateTime,
    /// The fixdesk version that made it.
    pub fixdesk: String,
    /// `sqlite` or `postgres`: the database it restores into.
    pub backend: String,
    /// The newest migration applied to the snapshot.
    pub migration: Option<String>,
    pub database: Entry,
    pub files: Vec<Entry>,
    /// Files a row of the snapshot named that were gone when they were copied (removed after
    /// the snapshot was taken).
    #[serde(default)]
    pub missing: Vec<String>,
    /// Rows per table, to say what a restore brought back.
    pub counts: BTreeMap<String, i64>,
}

/// Why an archive cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("cannot read the backup: {0}")]
    Io(#[from] io::Error),
    #[error("not a fixdesk backup: {0}")]
    NotABackup(String),
    #[error("the backup is damaged: {0}")]
    Damaged(String),
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    size: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// What writing an archive came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Written {
    /// Bytes of the archive.
    pub size: u64,
    pub files: usize,
    pub missing: usize,
}

/// Writes the archive to `target`: `database` (the snapshot file, stored as `database_name`),
/// then each `(file on disk, path in the archive)`, then the manifest. A file gone by the time
/// it is copied is listed as missing.
pub(crate) fn write(
    target: &Path,
    database: &Path,
    database_name: &str,
    files: &[(PathBuf, String)],
    mut manifest: Manifest,
) -> io::Result<Written> {
    let partial = partial_of(target);
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)?;
    let written = (|| {
        let gz = GzEncoder::new(BufWriter::new(out), Compression::fast());
        let mut tar = tar::Builder::new(gz);
        manifest.database = append(&mut tar, database, &format!("database/{database_name}"))?;
        for (disk, name) in files {
            match append(&mut tar, disk, &format!("files/{name}")) {
                Ok(entry) => manifest.files.push(entry),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    manifest.missing.push(name.clone())
                }
                Err(e) => return Err(e),
            }
        }
        let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(u64::try_from(manifest.created_at.and_utc().timestamp()).unwrap_or(0));
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, json.as_slice())?;
        let gz = tar.into_inner()?;
        let buffered = gz.finish()?;
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok((manifest.files.len(), manifest.missing.len()))
    })();
    let (files, missing) = match written {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, target)?;
    if let Some(dir) = target.parent() {
        // The rename itself survives a crash once the directory is flushed.
        File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })?
        .sync_all()?;
    }
    Ok(Written {
        size: std::fs::metadata(target)?.len(),
        files,
        missing,
    })
}

/// Where an archive is written until it is complete.
pub(crate) fn partial_of(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn append<W: Write>(tar: &mut tar::Builder<W>, disk: &Path, name: &str) -> io::Result<Entry> {
    let file = File::open(disk)?;
    let size = file.metadata()?.len();
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(modified(&file));
    header.set_cksum();
    let mut reader = Hashing {
        inner: file.take(size),
        hash: Sha256::new(),
        size: 0,
    };
    tar.append_data(&mut header, name, &mut reader)?;
    if reader.size != size {
        return Err(io::Error::other(format!(
            "{name} changed while it was copied"
        )));
    }
    Ok(Entry {
        path: name.to_owned(),
        size,
        sha256: hex(reader.hash.finalize()),
    })
}

/// A file's modification time in seconds since 1970, for its tar header.
fn modified(file: &File) -> u64 {
    file.metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs())
}

/// An entry's path as a relative path with no way out of the directory it is unpacked into.
fn safe(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Unpacks `archive` into the directory `into` and checks every entry against the manifest:
/// each listed entry present with its size and checksum, nothing unlisted. Returns the
/// manifest; on any error `into` may hold a part and is the caller's to remove.
pub(crate) fn unpack(archive: &Path, into: &Path) -> Result<Manifest, ArchiveError> {
    let mut tar = tar::Archive::new(GzDecoder::new(File::open(archive)?));
    let mut seen: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut manifest = None;
    let entries = tar
        .entries()
        .map_err(|e| ArchiveError::NotABackup(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| ArchiveError::Damaged(e.to_string()))?;
        let raw = entry
            .path()
            .map_err(|e| ArchiveError::Damaged(e.to_string()))?;
        let name = raw.to_string_lossy().into_owned();
        let Some(relative) = safe(&raw) else {
            return Err(ArchiveError::Damaged(format!(
                "an entry outside the archive: {name}"
            )));
        };
        if name == MANIFEST {
            let mut text = Vec::new();
            entry
                .read_to_end(&mut text)
                .map_err(|e| ArchiveError::Damaged(e.to_string()))?;
            let parsed: Manifest = serde_json::from_slice(&text)
                .map_err(|e| ArchiveError::NotABackup(format!("its manifest: {e}")))?;
            manifest = Some(parsed);
            continue;
        }
        let path = into.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        let mut reader = Hashing {
            inner: &mut entry,
            hash: Sha256::new(),
            size: 0,
        };
        io::copy(&mut reader, &mut out).map_err(|e| ArchiveError::Damaged(e.to_string()))?;
        out.sync_all()?;
        seen.insert(name, (reader.size, hex(reader.hash.finalize())));
    }
    let manifest = manifest.ok_or_else(|| ArchiveError::NotABackup("it has no manifest".into()))?;
    if manifest.format != FORMAT || manifest.version > VERSION {
        return Err(ArchiveError::NotABackup(format!(
            "format {} version {} (this fixdesk reads {FORMAT} up to version {VERSION})",
            manifest.format, manifest.version
        )));
    }
    for listed in std::iter::once(&manifest.database).chain(&manifest.files) {
        match seen.remove(&listed.path) {
            Some((size, sha)) if size == listed.size && sha == listed.sha256 => {}
            Some(_) => {
                return Err(ArchiveError::Damaged(format!(
                    "{} does not match its checksum",
                    listed.path
                )));
            }
            None => {
                return Err(ArchiveError::Damaged(format!("{} is missing", listed.path)));
            }
        }
    }
    if let Some(extra) = seen.keys().next() {
        return Err(ArchiveError::Damaged(format!(
            "{extra} is not in the manifest"
        )));
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT.into(),
            version: VERSION,
            created_at: chrono::NaiveDateTime::default(),
            fixdesk: "test".into(),
            backend: "sqlite".into(),
            migration: None,
            database: Entry {
                path: String::new(),
                size: 0,
                sha256: String::new(),
            },
            files: Vec::new(),
            missing: Vec::new(),
            counts: BTreeMap::new(),
        }
    }

    fn fixture() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap_or_else(|_| unreachable!());
        let db = dir.path().join("snapshot.db");
        let file = dir.path().join("photo.png");
        std::fs::write(&db, b"database bytes").unwrap_or_default();
        std::fs::write(&file, vec![7u8; 100_000]).unwrap_or_default();
        let archive = dir.path().join("backup.tar.gz");
        let files = vec![
            (file, "attachments/uploads/photo.png".to_string()),
            (
                dir.path().join("gone.png"),
                "attachments/uploads/gone.png".to_string(),
            ),
        ];
        let written = write(&archive, &db, "fixdesk.db", &files, manifest());
        assert!(written.is_ok_and(|w| w.size > 0 && w.files == 1 && w.missing == 1));
        (dir, archive)
    }

    #[test]
    fn an_archive_reads_back_whole_and_checked() {
        let (dir, archive) = fixture();
        assert!(!partial_of(&archive).exists(), "no partial file is left");
        let into = dir.path().join("out");
        let read = unpack(&archive, &into);
        let Ok(m) = read else { panic!("{read:?}") };
        assert_eq!(m.database.path, "database/fixdesk.db");
        assert_eq!(m.files.len(), 1);
        assert_eq!(m.missing, vec!["attachments/uploads/gone.png".to_string()]);
        assert_eq!(
            std::fs::read(into.join("files/attachments/uploads/photo.png")).unwrap_or_default(),
            vec![7u8; 100_000]
        );
    }

    #[test]
    fn a_damaged_archive_is_refused() {
        let (dir, archive) = fixture();
        let mut bytes = std::fs::read(&archive).unwrap_or_default();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        let damaged = dir.path().join("damaged.tar.gz");
        std::fs::write(&damaged, &bytes).unwrap_or_default();
        assert!(unpack(&damaged, &dir.path().join("a")).is_err());
        let cut = dir.path().join("cut.tar.gz");
        std::fs::write(&cut, &bytes[..middle]).unwrap_or_default();
        assert!(unpack(&cut, &dir.path().join("b")).is_err());
        let other = dir.path().join("other.tar.gz");
        std::fs::write(&other, b"not a backup at all").unwrap_or_default();
        assert!(matches!(
            unpack(&other, &dir.path().join("c")),
            Err(ArchiveError::NotABackup(_) | ArchiveError::Damaged(_) | ArchiveError::Io(_))
        ));
    }
}
