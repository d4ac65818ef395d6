//! Canned replies on the wire.

use fixdesk_usecases::domain::canned::{CannedDraft, CannedReply};
use poem_openapi::Object;
use serde::Deserialize;

use crate::error::ApiError;

/// A reply text. Placeholders: `{requester}`, `{ticket}`, `{title}`, `{equipment}`, `{agent}`.
#[derive(Debug, Object, Deserialize)]
pub struct CannedIn {
    #[oai(validator(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub title: String,
    #[oai(validator(
        min_length = 1,
        max_length = 5000,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub body: String,
    /// Shared with the whole staff (admins) rather than one's own.
    #[serde(default)]
    #[oai(default)]
    pub shared: bool,
}

impl CannedIn {
    pub fn into_domain(self) -> Result<CannedDraft, ApiError> {
        Ok(CannedDraft::parse(&self.title, &self.body, self.shared)?)
    }
}

#[derive(Debug, Object)]
pub struct CannedOut {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub shared: bool,
    /// The body filled in for the ticket asked about (`ticket_id`), else `null`.
    #[oai(nullable)]
    pub rendered: Option<String>,
}

impl From<(CannedReply, Option<String>)> for CannedOut {
    fn from((r, rendered): (CannedReply, Option<String>)) -> Self {
        Self {
            id: r.id,
            title: r.title,
            body: r.body,
            shared: r.owner_id.is_none(),
            rendered,
        }
    }
}
