//! Mail delivered to the desk: one row per sender and `Message-ID` (compared without case),
//! claimed in the unit of work that handles the message and marked there with what became of
//! it — so a message either has its one outcome together with what it stored, or (when the
//! handling failed) no row at all, and the mail host's next delivery is handled afresh.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    Page,
    mail::{InboundMail, MailOutcome},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::OnConflict,
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

/// What claiming a delivery found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This delivery handles the message; its row.
    Mine(i64),
    /// The message was handled before: its outcome and ticket.
    Earlier {
        outcome: String,
        ticket_id: Option<i64>,
    },
}

/// The key a message is known by: its id without case.
fn key(message_id: &str) -> String {
    message_id.to_lowercase()
}

/// Claims the message for this unit of work. A row left `received` by an earlier version
/// that stopped half-way is taken over.
pub async fn claim<C: ConnectionTrait>(conn: &C, mail: &Received<'_>) -> Result<Claim, RepoError> {
    let row = inbound_mail::ActiveModel {
        message_id: Set(mail.message_id.to_owned()),
        message_key: Set(key(mail.message_id)),
        sender: Set(mail.sender.to_owned()),
        subject: Set(mail.subject.to_owned()),
        received_at: Set(mail.at),
        outcome: Set("received".into()),
        ..Default::default()
    };
    inbound_mail::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                inbound_mail::Column::MessageKey,
                inbound_mail::Column::Sender,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    let found = earlier(conn, mail.message_id, mail.sender)
        .await?
        .ok_or(RepoError::NotFound)?;
    Ok(match found {
        (id, outcome, _) if outcome == "received" => Claim::Mine(id),
        (_, outcome, ticket_id) => Claim::Earlier { outcome, ticket_id },
    })
}

/// The row, outcome and ticket of an earlier delivery of this sender's message.
pub async fn earlier<C: ConnectionTrait>(
    conn: &C,
    message_id: &str,
    sender: &str,
) -> Result<Option<(i64, String, Option<i64>)>, RepoError> {
    Ok(inbound_mail::Entity::find()
        .filter(inbound_mail::Column::MessageKey.eq(key(message_id)))
        .filter(inbound_mail::Column::Sender.eq(sender))
        .one(conn)
        .await?
        .map(|m| (m.id, m.outcome, m.ticket_id)))
}

/// Marks a claimed message with its outcome and why; `raw` keeps the whole message (for an
/// admin), `None` drops what was kept.
pub async fn finish<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    outcome: &MailOutcome,
    detail: Option<String>,
    raw: Option<Vec<u8>>,
) -> Result<(), RepoError> {
    inbound_mail::ActiveModel {
        id: Set(id),
        outcome: Set(outcome.as_str().into()),
        ticket_id: Set(outcome.ticket()),
        detail: Set(detail),
        raw: Set(raw),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// A kept message, whole, with its row: what an admin re-delivers or discards.
pub async fn kept<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<(InboundMail, Vec<u8>)>, RepoError> {
    let Some(m) = inbound_mail::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let Some(raw) = m.raw.clone().filter(|_| m.outcome == "kept") else {
        return Ok(None);
    };
    Ok(Some((listed(m), raw)))
}

fn listed(m: inbound_mail::Model) -> InboundMail {
    InboundMail {
        id: m.id,
        message_id: m.message_id,
        sender: m.sender,
        subject: m.subject,
        received_at: m.received_at,
        outcome: m.outcome,
        ticket_id: m.ticket_id,
        detail: m.detail,
        kept: m.raw.is_some(),
    }
}

/// One delivered message as listed (without its raw bytes).
pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<InboundMail>, RepoError> {
    Ok(inbound_mail::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(listed))
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
        .filter(inbound_mail::Column::MessageKey.is_in(message_ids.iter().map(|id| key(id))))
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
