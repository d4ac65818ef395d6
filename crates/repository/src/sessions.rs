//! Login sessions: created at sign-in, looked up to authenticate a token, revoked to end it.

use chrono::NaiveDateTime;
use fixdesk_domain::{Actor, Role, SessionId, UserId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::Expr,
};

use crate::{
    RepoError,
    entities::{session, session_revocation, user},
};

/// A revocation as other instances read it: one session, or all of a user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub id: i64,
    pub user: UserId,
    pub session: Option<SessionId>,
}

/// Writes the event other instances read to drop the session(s) from their caches.
async fn announce<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    session: Option<&SessionId>,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    session_revocation::ActiveModel {
        user_id: Set(user.0),
        session_id: Set(session.map(|s| s.0.clone())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Revocations written after `after`, oldest first.
pub async fn revocations_after<C: ConnectionTrait>(
    conn: &C,
    after: i64,
) -> Result<Vec<Revocation>, RepoError> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(session_revocation::Entity::find()
        .filter(session_revocation::Column::Id.gt(after))
        .order_by_asc(session_revocation::Column::Id)
        .limit(1000)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| Revocation {
            id: r.id,
            user: UserId(r.user_id),
            session: r.session_id.map(SessionId),
        })
        .collect())
}

/// The newest revocation's id (0 when none).
pub async fn last_revocation<C: ConnectionTrait>(conn: &C) -> Result<i64, RepoError> {
    use sea_orm::{QueryOrder, QuerySelect};
    let id: Option<i64> = session_revocation::Entity::find()
        .select_only()
        .column(session_revocation::Column::Id)
        .order_by_desc(session_revocation::Column::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Drops revocation events older than `before` (no cache holds those sessions any more).
pub async fn prune_revocations<C: ConnectionTrait>(
    conn: &C,
    before: NaiveDateTime,
) -> Result<(), RepoError> {
    session_revocation::Entity::delete_many()
        .filter(session_revocation::Column::CreatedAt.lt(before))
        .exec(conn)
        .await?;
    Ok(())
}

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
    user: UserId,
    id: &SessionId,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id.0.clone()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    announce(conn, user, Some(id), now).await
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
    announce(conn, user, None, now).await?;
    Ok(r.rows_affected)
}
