//! Delivered mail on the wire.

use fixdesk_usecases::{
    KeptMail,
    domain::mail::{InboundMail, MailOutcome},
};
use poem_openapi::Object;

/// What became of a delivered message.
#[derive(Debug, Object)]
pub struct DeliveryOut {
    /// `ticket`, `message`, `duplicate`, `ignored`, `unknown_sender`, `refused`, `kept` or
    /// `discarded`.
    pub outcome: String,
    /// The ticket it opened or was added to.
    #[oai(nullable)]
    pub ticket_id: Option<i64>,
    /// Why, for the outcomes that have a reason.
    #[oai(nullable)]
    pub detail: Option<String>,
}

impl From<MailOutcome> for DeliveryOut {
    fn from(o: MailOutcome) -> Self {
        Self {
            outcome: o.as_str().into(),
            ticket_id: o.ticket(),
            detail: o.reason().map(str::to_owned),
        }
    }
}

/// A delivered message as the desk recorded it.
#[derive(Debug, Object)]
pub struct InboundMailOut {
    pub id: i64,
    pub message_id: String,
    pub sender: String,
    pub subject: String,
    pub received_at: chrono::NaiveDateTime,
    pub outcome: String,
    #[oai(nullable)]
    pub ticket_id: Option<i64>,
    #[oai(nullable)]
    pub detail: Option<String>,
    /// The whole message is kept (`GET /mail/inbound/{id}/raw`).
    pub kept: bool,
}

impl From<InboundMail> for InboundMailOut {
    fn from(m: InboundMail) -> Self {
        Self {
            id: m.id,
            message_id: m.message_id,
            sender: m.sender,
            subject: m.subject,
            received_at: m.received_at,
            outcome: m.outcome,
            ticket_id: m.ticket_id,
            detail: m.detail,
            kept: m.kept,
        }
    }
}

/// One header of a kept message.
#[derive(Debug, Object)]
pub struct MailHeaderOut {
    pub name: String,
    pub value: String,
}

/// A kept message as a person reads it.
#[derive(Debug, Object)]
pub struct KeptMailOut {
    pub mail: InboundMailOut,
    /// `From`, `To`, `Date` and `Subject`, decoded.
    pub headers: Vec<MailHeaderOut>,
    /// The text of its body.
    pub text: String,
    /// The names of its attached files.
    pub attachments: Vec<String>,
}

impl From<KeptMail> for KeptMailOut {
    fn from(k: KeptMail) -> Self {
        Self {
            mail: k.mail.into(),
            headers: k
                .headers
                .into_iter()
                .map(|(name, value)| MailHeaderOut { name, value })
                .collect(),
            text: k.text,
            attachments: k.attachments,
        }
    }
}
