//! Attachment rows (the files themselves live in the service's file store).

use chrono::NaiveDateTime;
use fixdesk_domain::{Attachment, TicketId, UserId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::{RepoError, entities::attachment};

fn to_domain(m: attachment::Model) -> Attachment {
    Attachment {
        id: m.id,
        ticket_id: TicketId(m.ticket_id),
        filename: m.filename,
        stored_filename: m.stored_filename,
        file_path: m.file_path,
        file_size: m.file_size,
        content_type: m.content_type,
        description: m.description,
        uploaded_at: m.uploaded_at,
        uploaded_by: UserId(m.uploaded_by),
    }
}

/// The columns of a new attachment row.
#[derive(Debug, Clone)]
pub struct NewAttachmentRow {
    pub ticket_id: TicketId,
    pub filename: String,
    pub stored_filename: String,
    pub file_path: String,
    pub file_size: i64,
    pub content_type: String,
    pub description: Option<String>,
    pub uploaded_by: UserId,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    row: NewAttachmentRow,
    now: NaiveDateTime,
) -> Result<Attachment, RepoError> {
    let m = attachment::ActiveModel {
        ticket_id: Set(row.ticket_id.0),
        filename: Set(row.filename),
        stored_filename: Set(row.stored_filename),
        file_path: Set(row.file_path),
        file_size: Set(row.file_size),
        content_type: Set(row.content_type),
        description: Set(row.description),
        uploaded_at: Set(now),
        uploaded_by: Set(row.uploaded_by.0),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(to_domain(m))
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Attachment>, RepoError> {
    Ok(attachment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain))
}

/// A ticket's attachments, oldest first.
pub async fn for_ticket<C: ConnectionTrait>(
    conn: &C,
    ticket: TicketId,
) -> Result<Vec<Attachment>, RepoError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::TicketId.eq(ticket.0))
        .order_by_asc(attachment::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Where a ticket's files are, for removing them once the ticket is gone.
pub async fn paths_for_ticket<C: ConnectionTrait>(
    conn: &C,
    ticket: TicketId,
) -> Result<Vec<String>, RepoError> {
    Ok(attachment::Entity::find()
        .select_only()
        .column(attachment::Column::FilePath)
        .filter(attachment::Column::TicketId.eq(ticket.0))
        .into_tuple()
        .all(conn)
        .await?)
}

pub async fn set_description<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    description: Option<String>,
) -> Result<Attachment, RepoError> {
    let m = attachment::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        description: Set(description),
        ..Default::default()
    };
    Ok(to_domain(m.update(conn).await?))
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), RepoError> {
    attachment::Entity::delete_by_id(id).exec(conn).await?;
    Ok(())
}

/// `(id, file_path)` of attachments after `after`, in id order: for walking every file.
pub async fn paths_after<C: ConnectionTrait>(
    conn: &C,
    after: i64,
    limit: u64,
) -> Result<Vec<(i64, String)>, RepoError> {
    Ok(attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Id)
        .column(attachment::Column::FilePath)
        .filter(attachment::Column::Id.gt(after))
        .order_by_asc(attachment::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?)
}
