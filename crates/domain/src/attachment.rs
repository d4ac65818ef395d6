//! Files attached to tickets, and what may be attached.

use chrono::NaiveDateTime;

use crate::{DomainError, TicketId, UserId};

/// The largest file accepted.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// The accepted extensions and the content type each is served with.
pub const ALLOWED: [(&str, &str); 15] = [
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    // Phone cameras: iPhones save HEIC, Android phones and browsers often WebP.
    ("heic", "image/heic"),
    ("heif", "image/heif"),
    ("webp", "image/webp"),
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("txt", "text/plain; charset=utf-8"),
    ("zip", "application/zip"),
    ("rar", "application/vnd.rar"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub ticket_id: TicketId,
    /// The name the file had on the uploader's machine (for display and download only).
    pub filename: String,
    pub stored_filename: String,
    /// Where the file is, relative to the attachment store.
    pub file_path: String,
    pub file_size: i64,
    pub content_type: String,
    pub description: Option<String>,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: UserId,
}

impl Attachment {
    /// Whether a browser may show the file itself rather than save it: images it can draw and
    /// PDFs. Never HTML or SVG (they could run script in our origin); HEIC is an image, but
    /// browsers cannot draw it, so it is offered as a download.
    pub fn opens_inline(&self) -> bool {
        matches!(
            self.content_type.as_str(),
            "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "application/pdf"
        )
    }

    /// Whether the file is a picture a browser can show as a thumbnail.
    pub fn is_picture(&self) -> bool {
        self.opens_inline() && self.content_type.starts_with("image/")
    }
}

/// An uploaded file's name, made safe: no directories, no control characters, at most 255
/// characters; and its lower-cased extension, which must be one of [`ALLOWED`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadName {
    pub display: String,
    pub extension: &'static str,
    pub content_type: &'static str,
}

impl UploadName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
        let base = crate::text::without_bidi_controls(base);
        let cleaned: String = base
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim()
            .chars()
            .take(255)
            .collect();
        let (stem, ext) = cleaned
            .rsplit_once('.')
            .ok_or(DomainError::FileTypeNotAllowed)?;
        let ext = ext.to_ascii_lowercase();
        let (extension, content_type) = ALLOWED
            .iter()
            .find(|(e, _)| *e == ext)
            .copied()
            .ok_or(DomainError::FileTypeNotAllowed)?;
        if stem.trim_matches('.').is_empty() {
            return Err(DomainError::FileTypeNotAllowed);
        }
        Ok(Self {
            display: cleaned,
            extension,
            content_type,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_directories_and_keep_allowed_extensions() {
        let n = UploadName::parse("../../etc/passwd.txt").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((n.display.as_str(), n.extension), ("passwd.txt", "txt"));
        assert_eq!(
            UploadName::parse("C:\\Users\\a\\Фото.JPG").map(|n| (n.display, n.extension)),
            Ok(("Фото.JPG".into(), "jpg"))
        );
        for bad in [
            "../../etc/passwd",
            "virus.exe",
            "noext",
            ".txt",
            "script.php",
            "a.txt.sh",
        ] {
            assert_eq!(
                UploadName::parse(bad),
                Err(DomainError::FileTypeNotAllowed),
                "{bad}"
            );
        }
    }
}
