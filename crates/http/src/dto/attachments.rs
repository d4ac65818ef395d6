//! Attachments on the wire.

use fixdesk_usecases::domain::Attachment;
use poem_openapi::Object;

use super::params::iso;

#[derive(Debug, Object)]
pub struct AttachmentOut {
    pub id: i64,
    pub ticket_id: i64,
    /// The name the file had when uploaded.
    pub filename: String,
    pub stored_filename: String,
    /// Where the file is inside the attachment store (never a server path).
    pub file_path: String,
    pub file_size: i64,
    pub content_type: String,
    #[oai(nullable)]
    pub description: Option<String>,
    pub uploaded_by: i64,
    pub uploaded_at: String,
}

impl From<Attachment> for AttachmentOut {
    fn from(a: Attachment) -> Self {
        Self {
            id: a.id,
            ticket_id: a.ticket_id.0,
            filename: a.filename,
            stored_filename: a.stored_filename,
            file_path: a.file_path,
            file_size: a.file_size,
            content_type: a.content_type,
            description: a.description,
            uploaded_by: a.uploaded_by.0,
            uploaded_at: iso(a.uploaded_at),
        }
    }
}
