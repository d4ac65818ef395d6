//! The sweep: a job that looks at every ticket whose clocks have a warning or breach due,
//! tells the people on it, and escalates a broken resolution target as its policy says.
//!
//! Each notice goes out exactly once across instances: a ticket's stage moves forward with a
//! conditional update (`advance_stage`), in the same unit of work as the notices, the
//! escalation and the audit rows, so of two sweeps on one ticket only one writes anything.

use std::time::Duration;

use chrono::NaiveDateTime;
use fixdesk_domain::counters::delta;
use fixdesk_domain::{
    NotificationKind, Ticket, TicketId, TicketStatus,
    sla::{SlaBook, SlaEvent},
};
use fixdesk_repository::{
    batch::Batch,
    notifications::{self, Audience, Notice},
    sla, statistics, tickets,
    tickets::TicketUpdate,
    users,
};
use fixdesk_usecases::ServiceError;
use serde_json::json;

use crate::{context::Context, sla::clocks, trail};

/// Tickets looked at per run; the next run takes the rest.
const BATCH: u64 = 500;

/// How often each instance queues a sweep (unless one waits or runs already).
pub(crate) const EVERY: Duration = Duration::from_secs(30);

/// Runs one sweep: returns what it saw, as the job's result.
pub(crate) async fn run(ctx: &Context) -> Result<String, ServiceError> {
    let now = ctx.clock.now();
    let book = ctx.sla_book.get(ctx.db.reader()).await?;
    let due = sla::due_for_check(ctx.db.reader(), now, BATCH).await?;
    let mut events = 0;
    for id in &due {
        events += check(ctx, &book, *id, now).await?;
    }
    Ok(json!({ "checked": due.len(), "events": events }).to_string())
}

/// Handles one ticket in its own unit of work; returns how many events went out.
async fn check(
    ctx: &Context,
    book: &SlaBook,
    id: TicketId,
    now: NaiveDateTime,
) -> Result<usize, ServiceError> {
    let uow = ctx.db.begin_write().await?;
    let Some(before) = tickets::find(uow.conn(), id).await? else {
        return Ok(0);
    };
    let Some(sla) = before.sla.clone() else {
        return Ok(0);
    };
    let Some((policy, calendar)) = book.rules_of(sla.policy_id) else {
        // Its policy is gone: nothing will fall due under it.
        sla::advance_stage(uow.conn(), id, sla.stage.0, sla.stage.0, None).await?;
        uow.commit().await?;
        return Ok(0);
    };
    let events = sla.due_events(policy, calendar, now);
    let marked = sla.marked(&events);
    let next = marked.next_check(policy, calendar);
    if !sla::advance_stage(uow.conn(), id, sla.stage.0, marked.stage.0, next).await? {
        return Ok(0);
    }
    let seen = Ticket {
        sla: Some(marked),
        ..before.clone()
    };
    let mut after = seen.clone();
    // The escalation's hand-over to someone who no longer takes tickets is skipped, and said.
    let mut skipped = None;
    if events.contains(&SlaEvent::ResolutionBreached) {
        let mut change = TicketUpdate::default();
        if policy.escalation.raise_priority && before.priority.raised() != before.priority {
            change.priority = Some(before.priority.raised());
        }
        if let Some(to) = policy.escalation.reassign_to
            && before.assigned_to_id != Some(to)
        {
            match users::find(uow.conn(), to).await? {
                Some(u) if u.takes_tickets() => {
                    change.assigned_to_id = Some(Some(to));
                    // Handed to someone, a new ticket goes into work, as any assignment.
                    if before.status == TicketStatus::New {
                        change.status = Some(TicketStatus::InProgress);
                    }
                }
                found => skipped = Some(found.map_or_else(|| format!("#{}", to.0), |u| u.username)),
            }
        }
        if change.priority.is_some() || change.assigned_to_id.is_some() {
            change.sla = clocks::after_change(book, &seen, &change, now);
            after = tickets::update(uow.conn(), id, change, now).await?;
        }
    }
    let mut batch = Batch::on(uow.conn());
    statistics::apply(&mut batch, delta(Some(&before), Some(&after)));
    for event in &events {
        notify(&mut batch, &after, *event, now)?;
    }
    if let Some(to) = after.assigned_to_id
        && before.assigned_to_id != Some(to)
    {
        let notice = Notice {
            kind: NotificationKind::TicketAssigned,
            title: format!("Вам назначена заявка #{} (эскалация)", after.id),
            message: after.title.clone(),
            related_id: Some(after.id.0),
        };
        notifications::notify(&mut batch, Audience::Person(to), notice, now)?;
    }
    // The first event carries the escalation's changes; the rest only say what they are.
    let mut rows = events.iter().enumerate().map(|(i, e)| {
        let from = if i == 0 { &before } else { &after };
        trail::sla_event(from, &after, *e)
    });
    match rows.next() {
        Some(first) => {
            trail::append(uow.conn(), batch, first, now).await?;
            for entry in rows.chain(skipped.map(|name| trail::hand_over_skipped(&after, &name))) {
                trail::append(uow.conn(), Batch::on(uow.conn()), entry, now).await?;
            }
        }
        None => batch.run(uow.conn()).await?,
    }
    uow.commit().await?;
    Ok(events.len())
}

/// A warning goes to the assignee (the whole staff while nobody holds the ticket); a breach to
/// the assignee and the admins.
fn notify(
    batch: &mut Batch,
    t: &Ticket,
    event: SlaEvent,
    now: NaiveDateTime,
) -> Result<(), fixdesk_repository::RepoError> {
    // Stored in Russian, like every notice's title; readers see `NotificationKind::headline`
    // in their own language.
    let title = event.describe(fixdesk_domain::Language::Ru, t.id.0);
    let notice = || Notice {
        kind: event.kind(),
        title: title.clone(),
        message: t.title.clone(),
        related_id: Some(t.id.0),
    };
    match (event.is_breach(), t.assigned_to_id) {
        (false, Some(a)) => notifications::notify(batch, Audience::Person(a), notice(), now),
        (false, None) => {
            notifications::notify(batch, Audience::Staff { except: None }, notice(), now)
        }
        (true, assignee) => {
            if let Some(a) = assignee {
                notifications::notify(batch, Audience::Person(a), notice(), now)?;
            }
            notifications::notify(batch, Audience::Admins { except: assignee }, notice(), now)
        }
    }
}
