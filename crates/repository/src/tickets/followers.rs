//! People who follow a ticket they did not file: the requester of a duplicate merged into it,
//! or someone who reported the same broken item. They read it as its requester does and hear
//! of its progress (see `notifications::Audience::Requesters`).

use chrono::NaiveDateTime;
use fixdesk_domain::{TicketId, UserId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, OnConflict, Query},
};

use super::{named, read_named};
use crate::{
    RepoError,
    entities::{ticket, ticket_follower},
    users,
};

/// Whether `user` follows ticket `id`.
pub async fn follows<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    user: UserId,
) -> Result<bool, RepoError> {
    let n = ticket_follower::Entity::find()
        .filter(ticket_follower::Column::TicketId.eq(id.0))
        .filter(ticket_follower::Column::UserId.eq(user.0))
        .limit(1)
        .count(conn)
        .await?;
    Ok(n > 0)
}

/// `user` follows ticket `id` (following twice changes nothing); whether they did not before.
pub async fn follow<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    user: UserId,
    now: NaiveDateTime,
) -> Result<bool, RepoError> {
    let row = ticket_follower::ActiveModel {
        ticket_id: sea_orm::ActiveValue::Set(id.0),
        user_id: sea_orm::ActiveValue::Set(user.0),
        created_at: sea_orm::ActiveValue::Set(now),
    };
    let r = ticket_follower::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                ticket_follower::Column::TicketId,
                ticket_follower::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(r > 0)
}

/// `user` stops following ticket `id`; whether they did.
pub async fn unfollow<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    user: UserId,
) -> Result<bool, RepoError> {
    let r = ticket_follower::Entity::delete_many()
        .filter(ticket_follower::Column::TicketId.eq(id.0))
        .filter(ticket_follower::Column::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(r.rows_affected > 0)
}

/// Whoever followed duplicate `from` follows `into` now, but its own requester `keeper`.
pub async fn carry_over<C: ConnectionTrait>(
    conn: &C,
    from: TicketId,
    into: TicketId,
    keeper: UserId,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let mut followers = Query::select();
    followers
        .expr(Expr::val(into.0))
        .column(ticket_follower::Column::UserId)
        .expr(Expr::val(now))
        .from(ticket_follower::Entity)
        .and_where(ticket_follower::Column::TicketId.eq(from.0))
        .and_where(ticket_follower::Column::UserId.ne(keeper.0));
    let mut insert = Query::insert();
    insert
        .into_table(ticket_follower::Entity)
        .columns([
            ticket_follower::Column::TicketId,
            ticket_follower::Column::UserId,
            ticket_follower::Column::CreatedAt,
        ])
        .select_from(followers)
        .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::columns([
                ticket_follower::Column::TicketId,
                ticket_follower::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        );
    conn.execute_raw(conn.get_database_backend().build(&insert))
        .await?;
    Ok(())
}

/// The names of the people who follow ticket `id`, in the order they began to.
pub async fn names<C: ConnectionTrait>(conn: &C, id: TicketId) -> Result<Vec<String>, RepoError> {
    let rows = ticket_follower::Entity::find()
        .filter(ticket_follower::Column::TicketId.eq(id.0))
        .order_by_asc(ticket_follower::Column::CreatedAt)
        .order_by_asc(ticket_follower::Column::UserId)
        .all(conn)
        .await?;
    let ids: Vec<UserId> = rows.iter().map(|r| UserId(r.user_id)).collect();
    let mut known = users::display_names(conn, ids.iter().copied()).await?;
    Ok(ids.iter().filter_map(|u| known.remove(u)).collect())
}

/// The duplicates merged into ticket `id`, oldest first.
pub async fn merged_here<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
) -> Result<Vec<fixdesk_domain::Ticket>, RepoError> {
    let select = named()
        .filter(ticket::Column::MergedIntoId.eq(id.0))
        .order_by_asc(ticket::Column::Id);
    read_named(conn, select).await
}

/// The open tickets about an item (not merged away), oldest first; at most `limit`.
pub async fn open_about<C: ConnectionTrait>(
    conn: &C,
    equipment: fixdesk_domain::EquipmentId,
    limit: u64,
) -> Result<Vec<fixdesk_domain::Ticket>, RepoError> {
    let select = named()
        .filter(ticket::Column::EquipmentId.eq(equipment.0))
        .filter(ticket::Column::Status.ne(fixdesk_domain::TicketStatus::Closed.rank()))
        .filter(ticket::Column::MergedIntoId.is_null())
        .order_by_asc(ticket::Column::Id)
        .limit(limit);
    read_named(conn, select).await
}
