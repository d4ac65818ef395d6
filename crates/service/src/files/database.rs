//! The file store in the database (`stored_files`, `file_chunks`): what lets instances that
//! share no disk serve each other's attachments and exports. Files stream in and out one
//! chunk at a time, so memory holds at most a chunk per transfer whatever the file's size.

use std::time::Duration;

use fixdesk_db::Database;
use fixdesk_repository::{RepoError, stored_files};
use fixdesk_usecases::{ByteStream, async_trait};
use futures::StreamExt;

use crate::{
    clock,
    files::{FileStore, HEAD_BYTES, LocalDisk, StoreError, Stored},
};

/// Bytes per stored chunk: large enough that a 20 MiB file is 80 rows, small enough that a
/// chunk in flight costs little memory.
const CHUNK: usize = 256 * 1024;

/// How much longer than the longest upload (the edge's upload deadline) an incomplete file
/// must have been started to count as abandoned: by then nobody is writing it.
const ABANDONED_MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

#[derive(Debug, Clone)]
pub(crate) struct DatabaseFiles {
    db: Database,
    /// Prepended to every key, so attachments and exports never share a name. Attachments
    /// use none: their key is the attachment row's `file_path`, which the row's deletion
    /// trigger removes.
    prefix: &'static str,
    /// Where files stored before the desk kept them in the database are read from (and
    /// removed from), under the same key without the prefix.
    fallback: Option<LocalDisk>,
    /// How old an incomplete file is when the next upload clears it away.
    abandoned_after: chrono::TimeDelta,
}

impl DatabaseFiles {
    /// `longest_upload`: the most an upload may take (past it the edge ends the request).
    pub(crate) fn new(db: Database, prefix: &'static str, longest_upload: Duration) -> Self {
        Self {
            db,
            prefix,
            fallback: None,
            abandoned_after: chrono::TimeDelta::from_std(longest_upload)
                .unwrap_or(chrono::TimeDelta::hours(6))
                + ABANDONED_MARGIN,
        }
    }

    pub(crate) fn falling_back_to(self, local: LocalDisk) -> Self {
        Self {
            fallback: Some(local),
            ..self
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    async fn write(&self, key: &str, mut body: ByteStream, max: u64) -> Result<Stored, StoreError> {
        let conn = self.db.writer();
        let now = clock::wall();
        stored_files::begin(conn, key, now, now - self.abandoned_after).await?;
        let (mut size, mut head, mut seq) = (0u64, Vec::new(), 0i32);
        let mut buffer = Vec::with_capacity(CHUNK);
        loop {
            let next = body.next().await.transpose()?;
            if let Some(bytes) = &next {
                size += bytes.len() as u64;
                if size > max {
                    return Err(StoreError::TooLarge);
                }
                if head.len() < HEAD_BYTES {
                    head.extend_from_slice(&bytes[..bytes.len().min(HEAD_BYTES - head.len())]);
                }
                buffer.extend_from_slice(bytes);
            }
            while buffer.len() >= CHUNK || (next.is_none() && !buffer.is_empty()) {
                let rest = buffer.split_off(buffer.len().min(CHUNK));
                stored_files::append(conn, key, seq, std::mem::replace(&mut buffer, rest)).await?;
                seq += 1;
            }
            if next.is_none() {
                break;
            }
        }
        stored_files::finish(conn, key, size).await?;
        Ok(Stored { size, head })
    }
}

impl From<RepoError> for StoreError {
    fn from(e: RepoError) -> Self {
        StoreError::Io(std::io::Error::other(e))
    }
}

#[async_trait]
impl FileStore for DatabaseFiles {
    async fn put(&self, key: &str, body: ByteStream, max: u64) -> Result<Stored, StoreError> {
        let key = self.key(key);
        let written = self.write(&key, body, max).await;
        if written.is_err() {
            // Nothing half-written stays behind (if this fails too, the row says incomplete
            // and is never served).
            let _ = stored_files::remove(self.db.writer(), &key).await;
        }
        written
    }

    async fn open(&self, key: &str) -> Result<ByteStream, StoreError> {
        let local = key;
        let key = self.key(key);
        let reader = self.db.reader().clone();
        if !stored_files::exists(&reader, &key).await? {
            return match &self.fallback {
                Some(disk) => disk.open(local).await,
                None => Err(StoreError::NotFound),
            };
        }
        let chunks = futures::stream::unfold(Some(None), move |after| {
            let (reader, key) = (reader.clone(), key.clone());
            async move {
                let after = after?;
                match stored_files::chunk_after(&reader, &key, after).await {
                    Ok(Some((seq, data))) => Some((Ok(data), Some(Some(seq)))),
                    Ok(None) => None,
                    Err(e) => Some((Err(std::io::Error::other(e)), None)),
                }
            }
        });
        Ok(chunks.boxed())
    }

    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        stored_files::remove(self.db.writer(), &self.key(key)).await?;
        match &self.fallback {
            Some(disk) => disk.remove(key).await,
            None => Ok(()),
        }
    }
}
