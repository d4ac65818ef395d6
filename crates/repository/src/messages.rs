//! Messages in ticket threads.

use chrono::NaiveDateTime;
use fixdesk_domain::{MessageId, TicketId, TicketMessage, UserId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::{RepoError, entities::ticket_message, users};

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    ticket: TicketId,
    author: UserId,
    text: String,
    internal: bool,
    now: NaiveDateTime,
) -> Result<TicketMessage, RepoError> {
    let m = ticket_message::ActiveModel {
        ticket_id: Set(ticket.0),
        user_id: Set(author.0),
        message: Set(text),
        created_at: Set(now),
        is_internal: Set(internal),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let names = users::display_names(conn, [author]).await?;
    Ok(TicketMessage {
        id: MessageId(m.id),
        ticket_id: ticket,
        user_id: author,
        author_name: names.get(&author).cloned(),
        message: m.message,
        created_at: m.created_at,
        internal: m.is_internal,
    })
}

/// A ticket's thread, oldest first; internal notes only with `with_internal`.
pub async fn for_ticket<C: ConnectionTrait>(
    conn: &C,
    ticket: TicketId,
    with_internal: bool,
) -> Result<Vec<TicketMessage>, RepoError> {
    let mut rows =
        ticket_message::Entity::find().filter(ticket_message::Column::TicketId.eq(ticket.0));
    if !with_internal {
        rows = rows.filter(ticket_message::Column::IsInternal.eq(false));
    }
    let rows = rows
        .order_by_asc(ticket_message::Column::CreatedAt)
        .order_by_asc(ticket_message::Column::Id)
        .all(conn)
        .await?;
    let names = users::display_names(conn, rows.iter().map(|m| UserId(m.user_id))).await?;
    Ok(rows
        .into_iter()
        .map(|m| TicketMessage {
            id: MessageId(m.id),
            ticket_id: TicketId(m.ticket_id),
            user_id: UserId(m.user_id),
            author_name: names.get(&UserId(m.user_id)).cloned(),
            message: m.message,
            created_at: m.created_at,
            internal: m.is_internal,
        })
        .collect())
}
