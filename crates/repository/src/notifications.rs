//! Notifications and each user's choice of which to receive.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use fixdesk_domain::{
    CategoryId, NewNotification, Notification, NotificationKind, NotificationSettings, Page, Role,
    TicketId, UserId,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, OnConflict, Query},
};

use crate::{
    RepoError,
    batch::Batch,
    entities::{notification, notification_setting, ticket_follower, user},
};

fn to_domain(m: notification::Model) -> Result<Notification, RepoError> {
    let kind = m
        .notification_type
        .parse::<NotificationKind>()
        .map_err(|e| RepoError::InvalidRow {
            table: "notifications",
            reason: format!("notification {}: {}", m.id, e.message),
        })?;
    Ok(Notification {
        id: m.id,
        user_id: UserId(m.user_id),
        title: m.title,
        message: m.message,
        kind,
        related_id: m.related_id,
        is_read: m.is_read,
        created_at: m.created_at,
    })
}

pub async fn insert_many<C: ConnectionTrait>(
    conn: &C,
    items: Vec<NewNotification>,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    if items.is_empty() {
        return Ok(());
    }
    let rows = items.into_iter().map(|n| notification::ActiveModel {
        user_id: Set(n.user_id.0),
        title: Set(n.title),
        message: Set(n.message),
        notification_type: Set(n.kind.as_str().to_string()),
        related_id: Set(n.related_id),
        is_read: Set(false),
        created_at: Set(now),
        ..Default::default()
    });
    notification::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// A notification to write, for whoever [`Audience`] names.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: NotificationKind,
    pub title: String,
    pub message: String,
    pub related_id: Option<i64>,
}

/// Who receives a [`Notice`]; anyone who switched its kind off is left out.
#[derive(Debug, Clone, Copy)]
pub enum Audience {
    /// Every active agent and admin but `except` (who caused it).
    Staff { except: Option<UserId> },
    /// The active staff who serve `category` — its assignment group, where it has one with
    /// members; else every agent and admin — but `except`.
    Serving {
        category: Option<CategoryId>,
        except: Option<UserId>,
    },
    /// One person (not once their account is deleted).
    Person(UserId),
    /// The requester of `ticket` (`creator`) and the people who follow it, but `except`.
    Requesters {
        ticket: TicketId,
        creator: UserId,
        except: Option<UserId>,
    },
    /// Every active admin but `except`.
    Admins { except: Option<UserId> },
}

/// Queues `notice` for its audience as one `INSERT … SELECT`: the database picks the
/// recipients and honours their settings, so it is one statement however many staff there
/// are, and needs no read before it (it can go in the change's [`Batch`]).
pub fn notify(
    batch: &mut Batch,
    audience: Audience,
    notice: Notice,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let kind = notice.kind.as_str();
    let switched_off = Query::select()
        .expr(Expr::val(1))
        .from(notification_setting::Entity)
        .and_where(
            Expr::col((
                notification_setting::Entity,
                notification_setting::Column::UserId,
            ))
            .equals((user::Entity, user::Column::Id)),
        )
        .and_where(notification_setting::Column::Kind.eq(kind))
        .and_where(notification_setting::Column::Enabled.eq(false))
        .to_owned();
    let mut recipients = Query::select();
    recipients
        .column((user::Entity, user::Column::Id))
        .expr(Expr::val(notice.title))
        .expr(Expr::val(notice.message))
        .expr(Expr::val(kind))
        .expr(Expr::val(notice.related_id))
        .expr(Expr::val(false))
        .expr(Expr::val(now))
        .from(user::Entity)
        .and_where(user::Column::DeletedAt.is_null())
        .and_where(Expr::exists(switched_off).not());
    match audience {
        Audience::Staff { except } | Audience::Serving { except, .. } => {
            recipients
                .and_where(user::Column::IsActive.eq(true))
                .and_where(user::Column::Role.is_in([Role::Admin.as_str(), Role::Agent.as_str()]));
            if let Some(u) = except {
                recipients.and_where(user::Column::Id.ne(u.0));
            }
            if let Audience::Serving {
                category: Some(c), ..
            } = audience
            {
                // The group is a comma-separated list of ids (`assignment_rules.agent_ids`).
                // An id is a number: written into the statement, it needs no placeholder.
                let c = c.0;
                recipients.and_where(Expr::cust(format!(
                    "(NOT EXISTS (SELECT 1 FROM assignment_rules g WHERE g.category_id = {c} \
                     AND g.agent_ids <> '') OR EXISTS (SELECT 1 FROM assignment_rules g \
                     WHERE g.category_id = {c} AND (',' || g.agent_ids || ',') LIKE \
                     ('%,' || CAST(users.id AS TEXT) || ',%')))"
                )));
            }
        }
        Audience::Person(id) => {
            recipients.and_where(user::Column::Id.eq(id.0));
        }
        Audience::Requesters {
            ticket,
            creator,
            except,
        } => {
            let followers = Query::select()
                .column(ticket_follower::Column::UserId)
                .from(ticket_follower::Entity)
                .and_where(ticket_follower::Column::TicketId.eq(ticket.0))
                .to_owned();
            recipients.and_where(
                Expr::col((user::Entity, user::Column::Id))
                    .eq(creator.0)
                    .or(Expr::col((user::Entity, user::Column::Id)).in_subquery(followers)),
            );
            if let Some(u) = except {
                recipients.and_where(user::Column::Id.ne(u.0));
            }
        }
        Audience::Admins { except } => {
            recipients
                .and_where(user::Column::IsActive.eq(true))
                .and_where(user::Column::Role.eq(Role::Admin.as_str()));
            if let Some(u) = except {
                recipients.and_where(user::Column::Id.ne(u.0));
            }
        }
    }
    let mut insert = Query::insert();
    insert.into_table(notification::Entity).columns([
        notification::Column::UserId,
        notification::Column::Title,
        notification::Column::Message,
        notification::Column::NotificationType,
        notification::Column::RelatedId,
        notification::Column::IsRead,
        notification::Column::CreatedAt,
    ]);
    insert
        .select_from(recipients)
        .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    batch.push(batch.backend().build(&insert));
    Ok(())
}

/// Whether notifications of `kind` about `related_id` were already written (so a fan-out job
/// that runs again writes nothing twice).
pub async fn exist_about<C: ConnectionTrait>(
    conn: &C,
    kind: NotificationKind,
    related_id: i64,
) -> Result<bool, RepoError> {
    let n = notification::Entity::find()
        .filter(notification::Column::NotificationType.eq(kind.as_str()))
        .filter(notification::Column::RelatedId.eq(related_id))
        .limit(1)
        .count(conn)
        .await?;
    Ok(n > 0)
}

/// A user's notifications, newest first.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    unread_only: bool,
    page: Page,
) -> Result<Vec<Notification>, RepoError> {
    let mut q = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.0))
        .order_by_desc(notification::Column::Id);
    if unread_only {
        q = q.filter(notification::Column::IsRead.eq(false));
    }
    q.offset(page.offset)
        .limit(page.limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub async fn unread_count<C: ConnectionTrait>(conn: &C, user: UserId) -> Result<u64, RepoError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.0))
        .filter(notification::Column::IsRead.eq(false))
        .count(conn)
        .await?)
}

/// Marks one of the user's notifications read; false if it is not theirs or does not exist.
pub async fn mark_read<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    id: i64,
) -> Result<bool, RepoError> {
    let r = notification::Entity::update_many()
        .col_expr(notification::Column::IsRead, Expr::value(true))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Whether the user has unread notifications about ticket `ticket`.
pub async fn unread_about<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    ticket: i64,
) -> Result<bool, RepoError> {
    let n = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.0))
        .filter(notification::Column::RelatedId.eq(ticket))
        .filter(notification::Column::IsRead.eq(false))
        .limit(1)
        .count(conn)
        .await?;
    Ok(n > 0)
}

/// Marks the user's notifications about ticket `ticket` read; returns how many were unread.
pub async fn mark_read_about<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    ticket: i64,
) -> Result<u64, RepoError> {
    let r = notification::Entity::update_many()
        .col_expr(notification::Column::IsRead, Expr::value(true))
        .filter(notification::Column::UserId.eq(user.0))
        .filter(notification::Column::RelatedId.eq(ticket))
        .filter(notification::Column::IsRead.eq(false))
        .exec(conn)
        .await?;
    Ok(r.rows_affected)
}

pub async fn mark_all_read<C: ConnectionTrait>(conn: &C, user: UserId) -> Result<u64, RepoError> {
    let r = notification::Entity::update_many()
        .col_expr(notification::Column::IsRead, Expr::value(true))
        .filter(notification::Column::UserId.eq(user.0))
        .filter(notification::Column::IsRead.eq(false))
        .exec(conn)
        .await?;
    Ok(r.rows_affected)
}

/// Deletes one of the user's notifications; false if it is not theirs or does not exist.
pub async fn delete<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    id: i64,
) -> Result<bool, RepoError> {
    let r = notification::Entity::delete_many()
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Notifications with ids above `after`, oldest first; for one user or everyone.
pub async fn newer_than<C: ConnectionTrait>(
    conn: &C,
    user: Option<UserId>,
    after: i64,
    limit: u64,
) -> Result<Vec<Notification>, RepoError> {
    let mut q = notification::Entity::find()
        .filter(notification::Column::Id.gt(after))
        .order_by_asc(notification::Column::Id)
        .limit(limit);
    if let Some(u) = user {
        q = q.filter(notification::Column::UserId.eq(u.0));
    }
    q.all(conn).await?.into_iter().map(to_domain).collect()
}

/// Those of `ids` that are `user`'s, oldest first.
pub async fn of_user_with_ids<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    ids: &[i64],
) -> Result<Vec<Notification>, RepoError> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.0))
        .filter(notification::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(notification::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The newest notification id (0 when there is none).
pub async fn last_id<C: ConnectionTrait>(conn: &C) -> Result<i64, RepoError> {
    let id: Option<i64> = notification::Entity::find()
        .select_only()
        .column(notification::Column::Id)
        .order_by_desc(notification::Column::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(id.unwrap_or(0))
}

/// The settings of each of `users` (defaults for those who chose nothing).
pub async fn settings<C: ConnectionTrait>(
    conn: &C,
    users: &[UserId],
) -> Result<HashMap<UserId, NotificationSettings>, RepoError> {
    let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
    let rows = notification_setting::Entity::find()
        .filter(notification_setting::Column::UserId.is_in(ids))
        .all(conn)
        .await?;
    let mut out: HashMap<UserId, NotificationSettings> = users
        .iter()
        .map(|u| (*u, NotificationSettings::default()))
        .collect();
    for r in rows {
        if let (Ok(kind), Some(s)) = (
            r.kind.parse::<NotificationKind>(),
            out.get_mut(&UserId(r.user_id)),
        ) {
            s.0.insert(kind, r.enabled);
        }
    }
    Ok(out)
}

/// Stores the given choices of a user (others stay as they were).
pub async fn save_settings<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    choices: &BTreeMap<NotificationKind, bool>,
) -> Result<(), RepoError> {
    for (kind, enabled) in choices {
        notification_setting::Entity::insert(notification_setting::ActiveModel {
            user_id: Set(user.0),
            kind: Set(kind.as_str().to_string()),
            enabled: Set(*enabled),
        })
        .on_conflict(
            OnConflict::columns([
                notification_setting::Column::UserId,
                notification_setting::Column::Kind,
            ])
            .update_column(notification_setting::Column::Enabled)
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}
