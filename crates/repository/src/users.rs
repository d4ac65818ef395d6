//! Users: live rows only (a deleted user is a tombstone that still names them, but is never
//! returned as a user).

use chrono::NaiveDateTime;
use fixdesk_domain::{Page, Role, User, UserId};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, Func},
};

use crate::{RepoError, entities::user};

/// The columns of a new user row, already validated and hashed.
#[derive(Debug, Clone)]
pub struct NewUserRow {
    pub username: String,
    pub email: Option<String>,
    pub hashed_password: String,
    pub full_name: Option<String>,
    pub role: Role,
    pub is_active: bool,
}

/// Columns to change; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct UserUpdate {
    pub username: Option<String>,
    pub email: Option<Option<String>>,
    pub full_name: Option<Option<String>>,
    pub hashed_password: Option<String>,
    pub role: Option<Role>,
    pub is_active: Option<bool>,
}

/// A user with the stored password hash, for sign-in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub hashed_password: String,
}

fn live() -> sea_orm::sea_query::SimpleExpr {
    user::Column::DeletedAt.is_null()
}

fn to_domain(m: user::Model) -> Result<User, RepoError> {
    let role = m.role.parse::<Role>().map_err(|e| RepoError::InvalidRow {
        table: "users",
        reason: format!("user {}: {}", m.id, e.message),
    })?;
    Ok(User {
        id: UserId(m.id),
        username: m.username,
        email: m.email,
        full_name: m.full_name,
        role,
        is_active: m.is_active,
    })
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    row: NewUserRow,
    now: NaiveDateTime,
) -> Result<User, RepoError> {
    let model = user::ActiveModel {
        username: Set(row.username),
        email: Set(row.email),
        hashed_password: Set(row.hashed_password),
        full_name: Set(row.full_name),
        role: Set(row.role.as_str().to_string()),
        is_active: Set(row.is_active),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    to_domain(model)
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: UserId) -> Result<Option<User>, RepoError> {
    user::Entity::find_by_id(id.0)
        .filter(live())
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// The live account with this e-mail address (compared without case), for mail delivered to
/// the desk.
pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &str,
) -> Result<Option<User>, RepoError> {
    user::Entity::find()
        .filter(live())
        .filter(Expr::expr(Func::lower(Expr::col(user::Column::Email))).eq(email.to_lowercase()))
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

pub async fn credentials_by_username<C: ConnectionTrait>(
    conn: &C,
    username: &str,
) -> Result<Option<Credentials>, RepoError> {
    let Some(m) = user::Entity::find()
        .filter(live())
        .filter(user::Column::Username.eq(username))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let hashed_password = m.hashed_password.clone();
    Ok(Some(Credentials {
        user: to_domain(m)?,
        hashed_password,
    }))
}

pub async fn password_hash<C: ConnectionTrait>(conn: &C, id: UserId) -> Result<String, RepoError> {
    user::Entity::find_by_id(id.0)
        .filter(live())
        .one(conn)
        .await?
        .map(|m| m.hashed_password)
        .ok_or(RepoError::NotFound)
}

/// Live users in id order.
pub async fn list<C: ConnectionTrait>(conn: &C, page: Page) -> Result<Vec<User>, RepoError> {
    user::Entity::find()
        .filter(live())
        .order_by_asc(user::Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Every live user in id order (the directory; small by nature of the domain).
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<User>, RepoError> {
    user::Entity::find()
        .filter(live())
        .order_by_asc(user::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub async fn username_taken<C: ConnectionTrait>(
    conn: &C,
    username: &str,
    except: Option<UserId>,
) -> Result<bool, RepoError> {
    taken(conn, user::Column::Username.eq(username), except).await
}

pub async fn email_taken<C: ConnectionTrait>(
    conn: &C,
    email: &str,
    except: Option<UserId>,
) -> Result<bool, RepoError> {
    taken(conn, user::Column::Email.eq(email), except).await
}

async fn taken<C: ConnectionTrait>(
    conn: &C,
    condition: sea_orm::sea_query::SimpleExpr,
    except: Option<UserId>,
) -> Result<bool, RepoError> {
    let mut query = user::Entity::find().filter(live()).filter(condition);
    if let Some(id) = except {
        query = query.filter(user::Column::Id.ne(id.0));
    }
    Ok(query.count(conn).await? > 0)
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: UserId,
    changes: UserUpdate,
    now: NaiveDateTime,
) -> Result<User, RepoError> {
    let mut model = user::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.0),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(v) = changes.username {
        model.username = Set(v);
    }
    if let Some(v) = changes.email {
        model.email = Set(v);
    }
    if let Some(v) = changes.full_name {
        model.full_name = Set(v);
    }
    if let Some(v) = changes.hashed_password {
        model.hashed_password = Set(v);
    }
    if let Some(v) = changes.role {
        model.role = Set(v.as_str().to_string());
    }
    if let Some(v) = changes.is_active {
        model.is_active = Set(v);
    }
    let updated = model.update(conn).await.map_err(|e| match e {
        sea_orm::DbErr::RecordNotUpdated => RepoError::NotFound,
        other => RepoError::from(other),
    })?;
    to_domain(updated)
}

/// Marks the user deleted and deactivated. The row stays, so everything that refers to the
/// user keeps a name to show; the username and e-mail become free for new users.
pub async fn tombstone<C: ConnectionTrait>(
    conn: &C,
    id: UserId,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let result = user::Entity::update_many()
        .col_expr(user::Column::DeletedAt, Expr::value(now))
        .col_expr(user::Column::IsActive, Expr::value(false))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id.0))
        .filter(live())
        .exec(conn)
        .await?;
    RepoError::found(result.rows_affected)
}

/// The given users, deleted ones included (as they appear on old records).
pub async fn with_ids<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = UserId>,
) -> Result<Vec<User>, RepoError> {
    let ids: Vec<i64> = ids.into_iter().map(|u| u.0).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Display names (full name, else username) of the given users, deleted ones included: a
/// deleted user's tickets and messages still show who wrote them.
pub async fn display_names<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = UserId>,
) -> Result<std::collections::HashMap<UserId, String>, RepoError> {
    let mut ids: Vec<i64> = ids.into_iter().map(|u| u.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|u| {
            let name = fixdesk_domain::display_name(u.full_name.as_deref(), &u.username);
            (UserId(u.id), name)
        })
        .collect())
}

/// Active admins other than `except`, with every active admin's row locked until the unit
/// of work ends (PostgreSQL: `FOR UPDATE`; SQLite's single writer already serializes). Two
/// concurrent demotions of the last two admins therefore see each other: one of them waits,
/// recounts and is refused, and the last admin is never removed.
pub async fn count_active_admins_except<C: ConnectionTrait>(
    conn: &C,
    except: UserId,
) -> Result<u64, RepoError> {
    let mut q = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(live())
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::IsActive.eq(true));
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let ids: Vec<i64> = q.into_tuple().all(conn).await?;
    Ok(ids.into_iter().filter(|id| *id != except.0).count() as u64)
}

/// Whether any live admin exists (active or not): seeding creates one only when none does.
pub async fn any_admin<C: ConnectionTrait>(conn: &C) -> Result<bool, RepoError> {
    Ok(user::Entity::find()
        .filter(live())
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .count(conn)
        .await?
        > 0)
}
