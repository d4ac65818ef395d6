//! Canned replies.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    UserId,
    canned::{CannedDraft, CannedReply},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    Order, QueryFilter, QueryOrder, sea_query::NullOrdering,
};

use crate::{RepoError, entities::canned_reply};

fn to_domain(m: canned_reply::Model) -> CannedReply {
    CannedReply {
        id: m.id,
        owner_id: m.owner_id.map(UserId),
        title: m.title,
        body: m.body,
    }
}

/// The shared replies and `user`'s own, shared first, each by title.
pub async fn available_to<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
) -> Result<Vec<CannedReply>, RepoError> {
    Ok(canned_reply::Entity::find()
        .filter(
            Condition::any()
                .add(canned_reply::Column::OwnerId.is_null())
                .add(canned_reply::Column::OwnerId.eq(user.0)),
        )
        // Shared (no owner) first on every database: PostgreSQL sorts NULL last by default.
        .order_by_with_nulls(
            canned_reply::Column::OwnerId,
            Order::Asc,
            NullOrdering::First,
        )
        .order_by_asc(canned_reply::Column::Title)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<CannedReply>, RepoError> {
    Ok(canned_reply::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain))
}

/// Stores a reply; `owner` is `None` for a shared one.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    owner: Option<UserId>,
    draft: CannedDraft,
    now: NaiveDateTime,
) -> Result<CannedReply, RepoError> {
    let m = canned_reply::ActiveModel {
        owner_id: Set(owner.map(|u| u.0)),
        title: Set(draft.title),
        body: Set(draft.body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(to_domain(m))
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    owner: Option<UserId>,
    draft: CannedDraft,
) -> Result<CannedReply, RepoError> {
    let current = canned_reply::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut m: canned_reply::ActiveModel = current.into();
    m.owner_id = Set(owner.map(|u| u.0));
    m.title = Set(draft.title);
    m.body = Set(draft.body);
    Ok(to_domain(m.update(conn).await?))
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), RepoError> {
    let r = canned_reply::Entity::delete_by_id(id).exec(conn).await?;
    RepoError::found(r.rows_affected)
}
