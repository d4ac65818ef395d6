//! Moving the attachments between the local directory and the database, for an operator who
//! changes `file_storage` (say, going from one instance on SQLite to several on PostgreSQL).
//! Each file is copied, then removed from where it was; a run that stops half-way is simply
//! run again. Exports are not moved: they are short-lived and made again on request.

use std::path::Path;

use fixdesk_domain::attachment::MAX_ATTACHMENT_BYTES;
use fixdesk_repository::attachments;
use fixdesk_usecases::ServiceError;

use crate::{FileStorage, context::Context, files::StoreError, files::stores};

/// What a move did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MoveReport {
    pub moved: u64,
    /// Attachments whose file was in neither store (already moved, or lost before).
    pub missing: u64,
}

const BATCH: u64 = 200;

pub(crate) async fn move_files(
    ctx: &Context,
    to: FileStorage,
    data_dir: &Path,
) -> Result<MoveReport, ServiceError> {
    let from = match to {
        FileStorage::Local => FileStorage::Database,
        FileStorage::Database => FileStorage::Local,
    };
    let source = stores::attachment_store(&ctx.db, from, data_dir, ctx.longest_upload);
    let target = stores::attachment_store(&ctx.db, to, data_dir, ctx.longest_upload);
    let mut report = MoveReport::default();
    let mut after = 0;
    loop {
        let page = attachments::paths_after(ctx.db.reader(), after, BATCH).await?;
        let Some((last, _)) = page.last() else {
            return Ok(report);
        };
        after = *last;
        for (_, key) in page {
            let body = match source.open(&key).await {
                Ok(body) => body,
                Err(StoreError::NotFound) => {
                    report.missing += u64::from(target.open(&key).await.is_err());
                    continue;
                }
                Err(e) => return Err(ServiceError::internal(e)),
            };
            target
                .put(&key, body, MAX_ATTACHMENT_BYTES)
                .await
                .map_err(ServiceError::internal)?;
            source.remove(&key).await.map_err(ServiceError::internal)?;
            report.moved += 1;
        }
    }
}
