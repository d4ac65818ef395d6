//! Turns notifications into mails. Notifications are written in the unit of work of the change
//! that causes them, as one `INSERT … SELECT` (see `recipients`); mail must not slow that
//! path, nor be lost if the process dies after the commit. So a sweep job, every few seconds
//! while mail is configured, reads the notifications written since its last place, and, in one
//! transaction with moving that place, queues a `mail_send` job for each one a person wants at
//! once and holds the others for their digest. Digests whose hour or day has ended are queued
//! the same way. Nothing is queued when no mail is configured.

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use fixdesk_domain::{JobKind, MailChannel, Notification, UserId};
use fixdesk_repository::{
    RepoError, jobs,
    mail_out::{self, Held},
    notifications, users,
};
use fixdesk_usecases::ServiceError;
use serde_json::json;

use super::send::Send;
use crate::{clock, context::Context};

/// Notifications read in one transaction.
const BATCH: u64 = 500;

/// Runs one sweep as a job: what it queued is the job's result.
pub(crate) async fn run(ctx: &Arc<Context>) -> Result<String, ServiceError> {
    if ctx.mailer.is_none() {
        return Ok(json!({ "mail": "off" }).to_string());
    }
    let mut queued = 0;
    while let Some(n) = sweep_batch(ctx).await? {
        queued += n;
    }
    let digests = queue_due_digests(ctx).await?;
    Ok(json!({ "mails": queued, "digests": digests }).to_string())
}

/// Handles the next batch of notifications; `None` when there was none (or another sweep
/// got there first).
async fn sweep_batch(ctx: &Context) -> Result<Option<u32>, ServiceError> {
    let uow = ctx.db.begin_write().await?;
    let Some(from) = mail_out::cursor(uow.conn()).await? else {
        // The first sweep since mail was configured starts now: the history is not mailed.
        let last = notifications::last_id(uow.conn()).await?;
        mail_out::move_cursor(uow.conn(), None, last).await?;
        uow.commit().await?;
        return Ok(None);
    };
    let items = notifications::newer_than(uow.conn(), None, from, BATCH).await?;
    let Some(last) = items.last().map(|n| n.id) else {
        return Ok(None);
    };
    let queued = route(uow.conn(), &items).await?;
    if !mail_out::move_cursor(uow.conn(), Some(from), last).await? {
        return Ok(None);
    }
    uow.commit().await?;
    Ok(Some(queued))
}

/// Queues or holds each notification as its recipient chose; returns how many mails it
/// queued.
async fn route<C: fixdesk_db::ConnectionTrait>(
    conn: &C,
    items: &[Notification],
) -> Result<u32, RepoError> {
    let ids: Vec<UserId> = items.iter().map(|n| n.user_id).collect();
    let people: HashMap<UserId, String> = users::with_ids(conn, ids.iter().copied())
        .await?
        .into_iter()
        .filter(|u| u.is_active)
        .filter_map(|u| u.email.filter(|e| !e.trim().is_empty()).map(|e| (u.id, e)))
        .collect();
    let bounced = mail_out::bounced_among(conn, people.values().map(String::as_str)).await?;
    let choices = mail_out::choices(conn, &ids).await?;
    let now = clock::wall();
    let (mut queued, mut held) = (0, Vec::new());
    for n in items {
        let Some(address) = people.get(&n.user_id) else {
            continue;
        };
        if mail_out::is_bounced(&bounced, address) {
            continue;
        }
        let channel = choices
            .get(&n.user_id)
            .map_or(MailChannel::Instant, |c| c.channel(n.kind));
        match channel {
            MailChannel::Off => {}
            MailChannel::Instant => {
                let send = Send {
                    user_id: n.user_id.0,
                    notifications: vec![n.id],
                    digest: false,
                };
                jobs::enqueue(conn, JobKind::MailSend, send.payload(), None, now).await?;
                queued += 1;
            }
            MailChannel::Hourly | MailChannel::Daily => held.push(Held {
                id: 0,
                user: n.user_id,
                notification: n.id,
                channel,
                created_at: n.created_at,
            }),
        }
    }
    mail_out::hold(conn, held).await?;
    Ok(queued)
}

/// Queues one digest per person and channel whose period has ended; returns how many.
async fn queue_due_digests(ctx: &Context) -> Result<u32, ServiceError> {
    let now = ctx.clock.now();
    let uow = ctx.db.begin_write().await?;
    let mut groups: BTreeMap<(UserId, MailChannel), Vec<Held>> = BTreeMap::new();
    for h in mail_out::held(uow.conn()).await? {
        groups.entry((h.user, h.channel)).or_default().push(h);
    }
    let mut queued = 0;
    for ((user, channel), items) in groups {
        let oldest = items.iter().map(|h| h.created_at).min().unwrap_or(now);
        if !channel.digest_due(oldest, now) {
            continue;
        }
        let send = Send {
            user_id: user.0,
            notifications: items.iter().map(|h| h.notification).collect(),
            digest: true,
        };
        jobs::enqueue(
            uow.conn(),
            JobKind::MailSend,
            send.payload(),
            None,
            clock::wall(),
        )
        .await?;
        mail_out::release(uow.conn(), items.iter().map(|h| h.id).collect()).await?;
        queued += 1;
    }
    uow.commit().await?;
    Ok(queued)
}
