//! File storage, as a port: a local directory (here) or the database (`database_files`),
//! chosen by `file_stores`; object storage later. Keys are chosen by the service (`uploads/<uuid>.<ext>`), never by a client.

mod attachments;
mod database;
mod moves;
pub(crate) mod stores;

pub use attachments::Attachments;
pub(crate) use attachments::attach_in;
pub use moves::MoveReport;
pub(crate) use moves::move_files;

use std::{io, path::PathBuf};

use fixdesk_usecases::{ByteStream, async_trait};
use futures::{StreamExt, TryStreamExt};
use tokio::io::AsyncWriteExt;

/// How many leading bytes `put` keeps for content sniffing.
pub(crate) const HEAD_BYTES: usize = 8 * 1024;

#[derive(Debug)]
pub(crate) struct Stored {
    pub size: u64,
    pub head: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    #[error("file larger than allowed")]
    TooLarge,
    #[error("no such file")]
    NotFound,
    #[error("storage failed")]
    Io(#[from] io::Error),
}

#[async_trait]
pub(crate) trait FileStore: Send + Sync + std::fmt::Debug {
    /// Writes the stream under `key`, stopping (and leaving nothing) past `max` bytes.
    async fn put(&self, key: &str, body: ByteStream, max: u64) -> Result<Stored, StoreError>;
    async fn open(&self, key: &str) -> Result<ByteStream, StoreError>;
    /// Removes the file; a file already gone is not an error.
    async fn remove(&self, key: &str) -> Result<(), StoreError>;
}

/// Files in a directory on the local disk.
#[derive(Debug, Clone)]
pub(crate) struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub(crate) fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn path(&self, key: &str) -> Result<PathBuf, StoreError> {
        // Keys come from the service, but a path never leaves the root whatever happens.
        if key
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
            || key.contains('\\')
        {
            return Err(StoreError::NotFound);
        }
        Ok(self.root.join(key))
    }
}

#[async_trait]
impl FileStore for LocalDisk {
    async fn put(&self, key: &str, mut body: ByteStream, max: u64) -> Result<Stored, StoreError> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            // Files people attached are for the service alone: 0700 directories, 0600 files.
            tokio::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .await?;
        }
        let partial = path.with_extension("part");
        let result = async {
            let mut file = tokio::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&partial)
                .await?;
            let (mut size, mut head) = (0u64, Vec::new());
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                size += chunk.len() as u64;
                if size > max {
                    return Err(StoreError::TooLarge);
                }
                if head.len() < HEAD_BYTES {
                    head.extend_from_slice(&chunk[..chunk.len().min(HEAD_BYTES - head.len())]);
                }
                file.write_all(&chunk).await?;
            }
            file.sync_all().await?;
            Ok(Stored { size, head })
        }
        .await;
        match result {
            Ok(stored) => {
                tokio::fs::rename(&partial, &path).await?;
                Ok(stored)
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                Err(e)
            }
        }
    }

    async fn open(&self, key: &str) -> Result<ByteStream, StoreError> {
        let file = match tokio::fs::File::open(self.path(key)?).await {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(StoreError::NotFound),
            Err(e) => return Err(e.into()),
        };
        Ok(tokio_util::io::ReaderStream::new(file)
            .map_ok(|b| b.to_vec())
            .boxed())
    }

    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Removes files whose rows are already gone. A failure leaves an orphan file (logged), never
/// a row without its file.
pub(crate) async fn remove_all(store: &dyn FileStore, paths: Vec<String>) {
    for p in paths {
        if let Err(e) = store.remove(&p).await {
            tracing::warn!(path = %p, error = %e, "could not remove an attachment file");
        }
    }
}

/// Whether a file's first bytes are what its extension says it is.
pub(crate) fn content_matches(extension: &str, head: &[u8]) -> bool {
    use infer::{archive, doc, image};
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    match extension {
        "jpg" | "jpeg" => image::is_jpeg(head),
        "png" => image::is_png(head),
        "gif" => image::is_gif(head),
        "heic" | "heif" => image::is_heif(head),
        "webp" => image::is_webp(head),
        "pdf" => archive::is_pdf(head),
        // Word and Excel 97–2003 files are OLE compound documents.
        "doc" => doc::is_doc(head) || head.starts_with(&OLE),
        "xls" => doc::is_xls(head) || head.starts_with(&OLE),
        // Office Open XML files are zip archives.
        "docx" | "xlsx" | "zip" => archive::is_zip(head),
        "rar" => archive::is_rar(head),
        "txt" => is_text(head),
        _ => false,
    }
}

/// UTF-8 without NUL bytes (the sample may end inside a character).
fn is_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_what_the_extension_claims() {
        assert!(content_matches("png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!content_matches("png", b"%PDF-1.7"));
        assert!(content_matches("pdf", b"%PDF-1.7\n"));
        assert!(content_matches("docx", b"PK\x03\x04rest"));
        assert!(content_matches("txt", "Привет, мир".as_bytes()));
        assert!(
            content_matches("txt", &"Привет".as_bytes()[..5]),
            "cut inside a character"
        );
        assert!(!content_matches("txt", b"MZ\x90\x00binary"));
        assert!(!content_matches("jpg", b"<?php echo 1; ?>"));
    }
}
