//! Messages in a ticket's thread.

use chrono::NaiveDateTime;

use crate::{FieldError, MessageId, TicketId, UserId, text::bounded};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketMessage {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub user_id: UserId,
    pub author_name: Option<String>,
    pub message: String,
    pub created_at: NaiveDateTime,
    /// A note among staff: never shown to the requester.
    pub internal: bool,
}

/// 1–5,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(Self(bounded("message", raw, 1, 5000)?))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}
