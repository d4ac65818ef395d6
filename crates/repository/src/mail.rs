//! Mail delivered to the desk: one row per `Message-ID`, claimed before anything is done so a
//! second delivery of the same message finds it, then marked with what became of it.

use chrono::NaiveDateTime;
use fixdesk_domain::mail::MailOutcome;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
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
