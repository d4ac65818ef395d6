//! Mail out's own rows: each person's mail choice per kind, the sweep's place in the
//! notifications, what waits for a digest, and the addresses that bounced.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use fixdesk_domain::{MailChannel, MailChoices, NotificationKind, UserId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::OnConflict,
};

use crate::{
    RepoError,
    entities::{mail_bounce, mail_choice, mail_cursor, mail_digest_item},
};

/// The one row of [`mail_cursor`].
const CURSOR: i32 = 1;

/// The choices of each of `users` (defaults for those who chose nothing).
pub async fn choices<C: ConnectionTrait>(
    conn: &C,
    users: &[UserId],
) -> Result<HashMap<UserId, MailChoices>, RepoError> {
    let rows = mail_choice::Entity::find()
        .filter(mail_choice::Column::UserId.is_in(users.iter().map(|u| u.0)))
        .all(conn)
        .await?;
    let mut out: HashMap<UserId, MailChoices> =
        users.iter().map(|u| (*u, MailChoices::default())).collect();
    for r in rows {
        if let (Ok(kind), Ok(channel), Some(c)) = (
            r.kind.parse::<NotificationKind>(),
            MailChannel::parse(&r.channel),
            out.get_mut(&UserId(r.user_id)),
        ) {
            c.0.insert(kind, channel);
        }
    }
    Ok(out)
}

/// Stores the given choices of a user (others stay as they were).
pub async fn save_choices<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    choices: &BTreeMap<NotificationKind, MailChannel>,
) -> Result<(), RepoError> {
    for (kind, channel) in choices {
        mail_choice::Entity::insert(mail_choice::ActiveModel {
            user_id: Set(user.0),
            kind: Set(kind.as_str().to_string()),
            channel: Set(channel.as_str().to_string()),
        })
        .on_conflict(
            OnConflict::columns([mail_choice::Column::UserId, mail_choice::Column::Kind])
                .update_column(mail_choice::Column::Channel)
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

/// The last notification the sweep has handled; `None` before its first sweep.
pub async fn cursor<C: ConnectionTrait>(conn: &C) -> Result<Option<i64>, RepoError> {
    Ok(mail_cursor::Entity::find_by_id(CURSOR)
        .one(conn)
        .await?
        .map(|c| c.last_notification_id))
}

/// Moves the sweep's place from `from` to `to`; false when another sweep moved it first (the
/// caller then rolls back what it queued).
pub async fn move_cursor<C: ConnectionTrait>(
    conn: &C,
    from: Option<i64>,
    to: i64,
) -> Result<bool, RepoError> {
    let Some(from) = from else {
        let r = mail_cursor::Entity::insert(mail_cursor::ActiveModel {
            id: Set(CURSOR),
            last_notification_id: Set(to),
        })
        .on_conflict(
            OnConflict::column(mail_cursor::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
        return Ok(r == 1);
    };
    let r = mail_cursor::Entity::update_many()
        .col_expr(
            mail_cursor::Column::LastNotificationId,
            sea_orm::sea_query::Expr::value(to),
        )
        .filter(mail_cursor::Column::Id.eq(CURSOR))
        .filter(mail_cursor::Column::LastNotificationId.eq(from))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// A notification held for a person's digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub id: i64,
    pub user: UserId,
    pub notification: i64,
    pub channel: MailChannel,
    pub created_at: NaiveDateTime,
}

/// Holds notifications for digests.
pub async fn hold<C: ConnectionTrait>(conn: &C, items: Vec<Held>) -> Result<(), RepoError> {
    if items.is_empty() {
        return Ok(());
    }
    mail_digest_item::Entity::insert_many(items.into_iter().map(|h| {
        mail_digest_item::ActiveModel {
            user_id: Set(h.user.0),
            notification_id: Set(h.notification),
            channel: Set(h.channel.as_str().to_string()),
            created_at: Set(h.created_at),
            ..Default::default()
        }
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Everything held for digests, oldest first (a few per person at most: digests go out
/// hourly or daily).
pub async fn held<C: ConnectionTrait>(conn: &C) -> Result<Vec<Held>, RepoError> {
    let rows = mail_digest_item::Entity::find()
        .order_by_asc(mail_digest_item::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|r| {
            let channel = MailChannel::parse(&r.channel).map_err(|e| RepoError::InvalidRow {
                table: "mail_digest_items",
                reason: format!("item {}: {}", r.id, e.message),
            })?;
            Ok(Held {
                id: r.id,
                user: UserId(r.user_id),
                notification: r.notification_id,
                channel,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// Lets go of held items once their digest is queued.
pub async fn release<C: ConnectionTrait>(conn: &C, ids: Vec<i64>) -> Result<(), RepoError> {
    mail_digest_item::Entity::delete_many()
        .filter(mail_digest_item::Column::Id.is_in(ids))
        .exec(conn)
        .await?;
    Ok(())
}

/// Addresses are compared without case, as mail servers do.
fn key(address: &str) -> String {
    address.trim().to_lowercase()
}

/// Why mail to `address` bounced, if it did.
pub async fn bounce_of<C: ConnectionTrait>(
    conn: &C,
    address: &str,
) -> Result<Option<String>, RepoError> {
    Ok(mail_bounce::Entity::find_by_id(key(address))
        .one(conn)
        .await?
        .map(|b| b.reason))
}

/// Those of `addresses` that bounced (in the form [`key`] gives).
pub async fn bounced_among<C: ConnectionTrait>(
    conn: &C,
    addresses: impl IntoIterator<Item = &str>,
) -> Result<HashSet<String>, RepoError> {
    let keys: Vec<String> = addresses.into_iter().map(key).collect();
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(mail_bounce::Entity::find()
        .filter(mail_bounce::Column::Address.is_in(keys))
        .all(conn)
        .await?
        .into_iter()
        .map(|b| b.address)
        .collect())
}

/// Whether `address` is among those [`bounced_among`] returned.
pub fn is_bounced(bounced: &HashSet<String>, address: &str) -> bool {
    bounced.contains(&key(address))
}

/// Marks `address` as refused by its mail server: it is no longer tried.
pub async fn record_bounce<C: ConnectionTrait>(
    conn: &C,
    address: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    mail_bounce::Entity::insert(mail_bounce::ActiveModel {
        address: Set(key(address)),
        reason: Set(reason.chars().take(500).collect()),
        bounced_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(mail_bounce::Column::Address)
            .update_columns([mail_bounce::Column::Reason, mail_bounce::Column::BouncedAt])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
