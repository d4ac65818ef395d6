//! Login sessions: created at sign-in, looked up to authenticate a token, revoked to end it.

use chrono::NaiveDateTime;
use fixdesk_domain::{Actor, Role, SessionId, UserId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::Expr,
};

use crate::{
    RepoError,
    entities::{session, user},
};

/// A live session and the current state of its user.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub actor: Actor,
    pub user_active: bool,
    pub expires_at: NaiveDateTime,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    id: &SessionId,
    user: UserId,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), RepoError> {
    session::ActiveModel {
        id: Set(id.0.clone()),
        user_id: Set(user.0),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The session if it is neither revoked nor expired, with its (undeleted) user.
pub async fn find_live<C: ConnectionTrait>(
    conn: &C,
    id: &SessionId,
    now: NaiveDateTime,
) -> Result<Option<LiveSession>, RepoError> {
    let found = session::Entity::find_by_id(id.0.clone())
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .find_also_related(user::Entity)
        .filter(user::Column::DeletedAt.is_null())
        .one(conn)
        .await?;
    let Some((s, Some(u))) = found else {
        return Ok(None);
    };
    let role = u.role.parse::<Role>().map_err(|e| RepoError::InvalidRow {
        table: "users",
        reason: e.message,
    })?;
    Ok(Some(LiveSession {
        actor: Actor {
            id: UserId(u.id),
            username: u.username,
            full_name: u.full_name,
            role,
            session: SessionId(s.id),
        },
        user_active: u.is_active,
        expires_at: s.expires_at,
    }))
}

pub async fn revoke<C: ConnectionTrait>(
    conn: &C,
    id: &SessionId,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id.0.clone()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user but `keep`; returns how many were live.
pub async fn revoke_all<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    keep: Option<&SessionId>,
    now: NaiveDateTime,
) -> Result<u64, RepoError> {
    let mut query = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user.0))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep.0.clone()));
    }
    let r = query.exec(conn).await?;
    Ok(r.rows_affected)
}
