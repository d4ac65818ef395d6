//! Who hears of what. Notifications are queued in the batch of the change that causes them and
//! committed with it, so they are readable the moment the change is acknowledged. Each is one
//! `INSERT … SELECT` in which the database picks the recipients and honours their settings:
//! no read first, and the same cost with five agents or five hundred.
//!
//! - a new ticket: every active agent and admin but its creator;
//! - an assignment: the new assignee (unless they assigned themself);
//! - a status change or closing: the ticket's creator and followers (not who did it);
//! - a message: from a requester (creator or follower) to the assignee, from staff to the
//!   creator and followers; an internal note to the assignee only.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    Actor, Job, NotificationKind, Ticket, TicketId, TicketMessage, TicketStatus, UserId,
};
use fixdesk_repository::{
    RepoError,
    batch::Batch,
    notifications::{self, Audience, Notice},
    tickets,
};
use fixdesk_usecases::ServiceError;
use serde::Deserialize;

use crate::context::Context;

/// Tells the staff who serve its category of a new ticket nobody was given, in the ticket's own
/// unit of work.
pub(crate) fn ticket_created(
    batch: &mut Batch,
    author: UserId,
    t: &Ticket,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let notice = Notice {
        kind: NotificationKind::TicketCreated,
        title: format!("Новая заявка #{}", t.id),
        message: t.title.clone(),
        related_id: Some(t.id.0),
    };
    // Given to someone by a rule: they are told (`auto_assigned`); the rest need not be.
    if t.assigned_to_id.is_some() {
        return Ok(());
    }
    notifications::notify(
        batch,
        Audience::Serving {
            category: t.category_id,
            except: Some(author),
        },
        notice,
        now,
    )
}

/// Tells the agent an assignment rule gave a new ticket to.
pub(crate) fn auto_assigned(
    batch: &mut Batch,
    t: &Ticket,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let Some(assignee) = t.assigned_to_id else {
        return Ok(());
    };
    let notice = Notice {
        kind: NotificationKind::TicketAssigned,
        title: format!("Вам назначена заявка #{}", t.id),
        message: t.title.clone(),
        related_id: Some(t.id.0),
    };
    notifications::notify(batch, Audience::Person(assignee), notice, now)
}

/// What a `notify_new_ticket` job remembers. Earlier versions told the staff of a new
/// ticket in such a job; one they queued before an upgrade still runs.
#[derive(Debug, Deserialize)]
struct NewTicketFanOut {
    ticket_id: i64,
    author_id: i64,
}

/// Runs a `notify_new_ticket` job left by an earlier version. Running it again (after a worker
/// died between writing and recording the job done) writes nothing twice.
pub(crate) async fn fan_out(ctx: &Context, job: &Job) -> Result<String, ServiceError> {
    let fan_out: NewTicketFanOut =
        serde_json::from_str(&job.payload).map_err(ServiceError::internal)?;
    let uow = ctx.db.begin_write().await?;
    let told = notifications::exist_about(
        uow.conn(),
        NotificationKind::TicketCreated,
        fan_out.ticket_id,
    )
    .await?;
    if !told && let Some(t) = tickets::find(uow.conn(), TicketId(fan_out.ticket_id)).await? {
        let mut batch = Batch::on(uow.conn());
        ticket_created(&mut batch, UserId(fan_out.author_id), &t, ctx.clock.now())?;
        batch.run(uow.conn()).await?;
    }
    uow.commit().await?;
    Ok(String::new())
}

pub(crate) fn ticket_changed(
    batch: &mut Batch,
    actor: &Actor,
    before: &Ticket,
    after: &Ticket,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    if let Some(assignee) = after.assigned_to_id
        && before.assigned_to_id != Some(assignee)
        && assignee != actor.id
    {
        let notice = Notice {
            kind: NotificationKind::TicketAssigned,
            title: format!("Вам назначена заявка #{}", after.id),
            message: after.title.clone(),
            related_id: Some(after.id.0),
        };
        notifications::notify(batch, Audience::Person(assignee), notice, now)?;
    }
    if before.status != after.status {
        let (kind, title) = if after.status == TicketStatus::Closed {
            (
                NotificationKind::TicketCompleted,
                format!("Заявка #{} закрыта", after.id),
            )
        } else {
            (
                NotificationKind::TicketUpdated,
                format!("Заявка #{}: статус «{}»", after.id, after.status.label_ru()),
            )
        };
        let message = after
            .resolution
            .clone()
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| after.title.clone());
        let notice = Notice {
            kind,
            title,
            message,
            related_id: Some(after.id.0),
        };
        notifications::notify(batch, requesters(after, actor), notice, now)?;
    }
    Ok(())
}

pub(crate) fn message_posted(
    batch: &mut Batch,
    actor: &Actor,
    t: &Ticket,
    m: &TicketMessage,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    // An internal note is for the staff on the ticket only, never for its requesters; what
    // a requester (or a follower) writes is for the assignee.
    let from_requester = actor.id == t.creator_id || !actor.role.is_staff();
    let to = if from_requester || m.internal {
        match t.assigned_to_id.filter(|u| *u != actor.id) {
            Some(u) => Audience::Person(u),
            None => return Ok(()),
        }
    } else {
        requesters(t, actor)
    };
    let notice = Notice {
        kind: NotificationKind::TicketMessage,
        title: format!("Новое сообщение в заявке #{}", t.id),
        message: m.message.chars().take(200).collect(),
        related_id: Some(t.id.0),
    };
    notifications::notify(batch, to, notice, now)
}

/// The ticket's requester and followers, but the one who caused the news.
fn requesters(t: &Ticket, actor: &Actor) -> Audience {
    Audience::Requesters {
        ticket: t.id,
        creator: t.creator_id,
        except: Some(actor.id),
    }
}
