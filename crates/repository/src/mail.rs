//! Mail delivered to the desk: one row per `Message-ID`, claimed before anything is done so a
//! second delivery of the same message finds it, then marked with what became of it.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    Page,
    mail::{InboundMail, MailOutcome},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::{RepoError, entities::inbound_mail};

/// What a delivery says about itself, before it is handled.
#[derive(Debug, Clone)]
pub struct Received<'a> {
    pub message_id: &'a str,
    pub sender: &'a str,
    pub subject: &'a str,
    pub at: NaiveDateTime,
}

/// Records the message as received; `None` when a message with its id was delivered before
/// (the caller then does nothing again).
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    mail: &Received<'_>,
) -> Result<Option<i64>, RepoError> {
    let row = inbound_mail::ActiveModel {
        message_id: Set(mail.message_id.to_owned()),
        sender: Set(mail.sender.to_owned()),
        subject: Set(mail.subject.to_owned()),
        received_at: Set(mail.at),
        outcome: Set("received".into()),
        ..Default::default()
    };
    match row.insert(conn).await {
        Ok(m) => Ok(Some(m.id)),
        Err(e) => match RepoError::from(e) {
            RepoError::Conflict { .. } => Ok(None),
            other => Err(other),
        },
    }
}

/// What became of the earlier delivery of a message: its outcome and ticket.
pub async fn earlier<C: ConnectionTrait>(
    conn: &C,
    message_id: &str,
) -> Result<Option<(String, Option<i64>)>, RepoError> {
    Ok(inbound_mail::Entity::find()
        .filter(inbound_mail::Column::MessageId.eq(message_id))
        .one(conn)
        .await?
        .map(|m| (m.outcome, m.ticket_id)))
}

/// Marks a claimed message with its outcome; `raw` keeps the whole message (for an admin).
pub async fn finish<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    outcome: &MailOutcome,
    raw: Option<Vec<u8>>,
) -> Result<(), RepoError> {
    inbound_mail::ActiveModel {
        id: Set(id),
        outcome: Set(outcome.as_str().into()),
        ticket_id: Set(outcome.ticket()),
        detail: Set(outcome.reason().map(str::to_owned)),
        raw: Set(raw),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// The ticket an earlier message among `message_ids` reached (a reply's `In-Reply-To` and
/// `References`).
pub async fn ticket_of<C: ConnectionTrait>(
    conn: &C,
    message_ids: &[String],
) -> Result<Option<i64>, RepoError> {
    if message_ids.is_empty() {
        return Ok(None);
    }
    Ok(inbound_mail::Entity::find()
        .filter(inbound_mail::Column::MessageId.is_in(message_ids.iter().cloned()))
        .filter(inbound_mail::Column::TicketId.is_not_null())
        .one(conn)
        .await?
        .and_then(|m| m.ticket_id))
}

/// The newest delivered messages, optionally with one outcome (without their raw bytes).
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    outcome: Option<&str>,
    page: Page,
) -> Result<Vec<InboundMail>, RepoError> {
    let mut select = inbound_mail::Entity::find();
    if let Some(o) = outcome {
        select = select.filter(inbound_mail::Column::Outcome.eq(o));
    }
    let rows = select
        .select_only()
        .columns([
            inbound_mail::Column::Id,
            inbound_mail::Column::MessageId,
            inbound_mail::Column::Sender,
            inbound_mail::Column::Subject,
            inbound_mail::Column::ReceivedAt,
            inbound_mail::Column::Outcome,
            inbound_mail::Column::TicketId,
            inbound_mail::Column::Detail,
        ])
        .column_as(inbound_mail::Column::Raw.is_not_null(), "kept")
        .order_by_desc(inbound_mail::Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .into_model::<ListedMail>()
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct ListedMail {
    id: i64,
    message_id: String,
    sender: String,
    subject: String,
    received_at: NaiveDateTime,
    outcome: String,
    ticket_id: Option<i64>,
    detail: Option<String>,
    kept: bool,
}

impl From<ListedMail> for InboundMail {
    fn from(m: ListedMail) -> Self {
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

/// The whole kept message, if it was kept.
pub async fn raw<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Vec<u8>>, RepoError> {
    Ok(inbound_mail::Entity::find_by_id(id)
        .one(conn)
        .await?
        .and_then(|m| m.raw))
}
