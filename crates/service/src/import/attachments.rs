//! Attachments, with their files from the old `uploads` directory.

use std::collections::HashSet;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::UploadName;
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
};
use fixdesk_usecases::ServiceError;
use futures::TryStreamExt;

use crate::files::{FileStore, content_matches};

use super::{ImportOptions, repair, run::Run};

/// Attachment rows come with their files: a row whose file cannot be had (no uploads
/// directory, missing, unsafe name or content not matching its type) is skipped and reported.
pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    tickets: &HashSet<i64>,
    files: &dyn FileStore,
    options: &ImportOptions,
) -> Result<(), ServiceError> {
    let mut all: Vec<legacy::Attachment> = Vec::new();
    run.each_batch(
        "attachments",
        columns::ATTACHMENTS,
        |_, batch: Vec<legacy::Attachment>| {
            all.extend(batch);
            Box::pin(async { Ok(0) })
        },
    )
    .await?;
    let mut written = 0;
    for a in all {
        let Some(ticket_id) = a.ticket_id.filter(|t| tickets.contains(t)) else {
            run.repair("attachments", a.id, "ticket does not exist", "skipped");
            continue;
        };
        let name = match UploadName::parse(a.filename.as_deref().unwrap_or_default()) {
            Ok(n) => n,
            Err(e) => {
                run.repair(
                    "attachments",
                    a.id,
                    format!(
                        "file name '{}': {e}",
                        a.filename.clone().unwrap_or_default()
                    ),
                    "skipped",
                );
                continue;
            }
        };
        let source = options.uploads.as_ref().and_then(|dir| {
            let stored = a.stored_filename.clone()?;
            let candidates = [
                dir.join(ticket_id.to_string()).join(&stored),
                dir.join(a.file_path.clone()?.trim_start_matches("uploads/")),
            ];
            candidates.into_iter().find(|p| p.is_file())
        });
        let Some(source) = source else {
            run.repair(
                "attachments",
                a.id,
                "file not found in the uploads directory",
                "skipped",
            );
            continue;
        };
        let stored_filename = format!("{}.{}", uuid::Uuid::new_v4(), name.extension);
        let key = format!("{ticket_id}/{stored_filename}");
        let file = tokio::fs::File::open(&source)
            .await
            .map_err(ServiceError::internal)?;
        let body = tokio_util::io::ReaderStream::new(file).map_ok(|b| b.to_vec());
        let stored = match files
            .put(
                &key,
                Box::pin(body),
                fixdesk_domain::attachment::MAX_ATTACHMENT_BYTES,
            )
            .await
        {
            Ok(s) => s,
            Err(e) => {
                run.repair(
                    "attachments",
                    a.id,
                    format!("file could not be stored: {e}"),
                    "skipped",
                );
                continue;
            }
        };
        if !content_matches(name.extension, &stored.head) {
            crate::files::remove_all(files, vec![key]).await;
            run.repair(
                "attachments",
                a.id,
                "content does not match the file type",
                "skipped",
            );
            continue;
        }
        import::attachments(
            run.conn,
            vec![rows::Attachment {
                id: a.id,
                ticket_id,
                filename: name.display,
                stored_filename,
                file_path: key,
                file_size: i64::try_from(stored.size).unwrap_or(i64::MAX),
                content_type: name.content_type.into(),
                description: a.description.filter(|d| !d.trim().is_empty()),
                uploaded_at: repair::parse_timestamp(a.uploaded_at.as_deref()).unwrap_or(run.now),
                uploaded_by: a.uploaded_by.unwrap_or(0),
            }],
        )
        .await?;
        written += 1;
    }
    if let Some(t) = run.report.tables.iter_mut().find(|t| t.0 == "attachments") {
        t.2 = written;
    }
    Ok(())
}
