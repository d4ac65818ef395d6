//! Who hears of what. Notifications are written in the unit of work of the change that causes
//! them, for the people on the other side of it, honouring each recipient's settings — except
//! the one that fans out to the whole staff, which the change only queues as a job (so filing
//! a ticket costs the same with five agents or five hundred):
//!
//! - a new ticket: every active agent and admin but its creator (job `notify_new_ticket`);
//! - an assignment: the new assignee (unless they assigned themself);
//! - a status change or closing: the ticket's creator (unless they did it);
//! - a message: from the creator to the assignee, from anyone else to the creator.

use chrono::NaiveDateTime;
use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, Job, NewNotification, NotificationKind, Ticket, TicketId, TicketMessage, TicketStatus,
    UserId,
};
use fixdesk_repository::{RepoError, notifications, tickets, users};
use fixdesk_usecases::ServiceError;
use serde::{Deserialize, Serialize};

use crate::{clock, context::Context};

fn note(
    to: UserId,
    kind: NotificationKind,
    title: String,
    message: String,
    t: &Ticket,
) -> NewNotification {
    NewNotification {
        user_id: to,
        title,
        message,
        kind,
        related_id: Some(t.id.0),
    }
}

/// Writes the notifications their recipients want.
async fn deliver<C: ConnectionTrait>(
    conn: &C,
    items: Vec<NewNotification>,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    if items.is_empty() {
        return Ok(());
    }
    let recipients: Vec<UserId> = items.iter().map(|n| n.user_id).collect();
    let settings = notifications::settings(conn, &recipients).await?;
    let wanted = items
        .into_iter()
        .filter(|n| settings.get(&n.user_id).is_none_or(|s| s.wants(n.kind)))
        .collect();
    notifications::insert_many(conn, wanted, now).await
}

/// What the fan-out job of a new ticket remembers.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct NewTicketFanOut {
    pub(crate) ticket_id: i64,
    pub(crate) author_id: i64,
}

/// The fan-out job of a new ticket: tells the staff, in one unit of work.
pub(crate) async fn fan_out(ctx: &Context, job: &Job) -> Result<String, ServiceError> {
    let fan_out: NewTicketFanOut =
        serde_json::from_str(&job.payload).map_err(ServiceError::internal)?;
    let uow = ctx.db.begin_write().await?;
    ticket_created(uow.conn(), &fan_out, clock::now()).await?;
    uow.commit().await?;
    Ok(String::new())
}

/// Tells the staff of a new ticket; run by the job queue. Running it again (after a worker
/// died between writing and recording the job done) writes nothing twice.
async fn ticket_created<C: ConnectionTrait>(
    conn: &C,
    job: &NewTicketFanOut,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    if notifications::exist_about(conn, NotificationKind::TicketCreated, job.ticket_id).await? {
        return Ok(());
    }
    let Some(t) = tickets::find(conn, TicketId(job.ticket_id)).await? else {
        return Ok(());
    };
    let t = &t;
    let staff = users::active_staff(conn).await?;
    let items = staff
        .into_iter()
        .filter(|u| u.0 != job.author_id)
        .map(|u| {
            note(
                u,
                NotificationKind::TicketCreated,
                format!("Новая заявка #{}", t.id),
                format!("{} (каб. {})", t.title, t.room_number),
                t,
            )
        })
        .collect();
    deliver(conn, items, now).await
}

pub(crate) async fn ticket_changed<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    before: &Ticket,
    after: &Ticket,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let mut items = Vec::new();
    if let Some(assignee) = after.assigned_to_id
        && before.assigned_to_id != Some(assignee)
        && assignee != actor.id
    {
        items.push(note(
            assignee,
            NotificationKind::TicketAssigned,
            format!("Вам назначена заявка #{}", after.id),
            after.title.clone(),
            after,
        ));
    }
    if before.status != after.status && after.creator_id != actor.id {
        let (kind, title) = if after.status == TicketStatus::Closed {
            (
                NotificationKind::TicketCompleted,
                format!("Заявка #{} закрыта", after.id),
            )
        } else {
            (
                NotificationKind::TicketUpdated,
                format!("Заявка #{}: статус {}", after.id, after.status),
            )
        };
        let message = after
            .resolution
            .clone()
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| after.title.clone());
        items.push(note(after.creator_id, kind, title, message, after));
    }
    deliver(conn, items, now).await
}

pub(crate) async fn message_posted<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    t: &Ticket,
    m: &TicketMessage,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let to = if actor.id == t.creator_id {
        t.assigned_to_id
    } else {
        Some(t.creator_id)
    };
    let items = to
        .filter(|u| *u != actor.id)
        .map(|u| {
            note(
                u,
                NotificationKind::TicketMessage,
                format!("Новое сообщение в заявке #{}", t.id),
                m.message.chars().take(200).collect(),
                t,
            )
        })
        .into_iter()
        .collect();
    deliver(conn, items, now).await
}
