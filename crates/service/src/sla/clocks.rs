//! Which clocks a ticket carries after something happens to it: filing, a change of its
//! category, priority, status or waiting flag, the first staff answer.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    CategoryId, Priority, Ticket, TicketStatus,
    sla::{BusinessCalendar, SlaBook, SlaPolicy, TicketSla},
};
use fixdesk_repository::tickets::{SlaColumns, TicketUpdate};

fn columns(clocks: TicketSla, policy: &SlaPolicy, calendar: &BusinessCalendar) -> SlaColumns {
    SlaColumns {
        next_check_at: clocks.next_check(policy, calendar),
        clocks,
    }
}

/// The clocks of a ticket filed now, if a policy applies.
pub(crate) fn at_filing(
    book: &SlaBook,
    category: Option<CategoryId>,
    priority: Priority,
    now: NaiveDateTime,
) -> Option<SlaColumns> {
    let (policy, calendar) = book.for_ticket(category, priority)?;
    Some(columns(
        TicketSla::start(policy, calendar, now),
        policy,
        calendar,
    ))
}

/// The clocks `before` should carry once `change` is applied: under the policy its category
/// and priority then choose, paused while it waits on its requester or is closed. `None` when
/// they stay as they are.
pub(crate) fn after_change(
    book: &SlaBook,
    before: &Ticket,
    change: &TicketUpdate,
    now: NaiveDateTime,
) -> Option<Option<SlaColumns>> {
    settle(book, before, change, false, now)
}

/// The clocks of an open ticket counted again under the desk's current calendars and policies
/// (after an admin changed them). `None` when they stay as they are.
pub(crate) fn recounted(
    book: &SlaBook,
    t: &Ticket,
    now: NaiveDateTime,
) -> Option<Option<SlaColumns>> {
    settle(book, t, &TicketUpdate::default(), true, now)
}

/// The clocks after `change`; `recount`: count the targets again even under the same policy.
fn settle(
    book: &SlaBook,
    before: &Ticket,
    change: &TicketUpdate,
    recount: bool,
    now: NaiveDateTime,
) -> Option<Option<SlaColumns>> {
    let category = change.category_id.unwrap_or(before.category_id);
    let priority = change.priority.unwrap_or(before.priority);
    let status = change.status.unwrap_or(before.status);
    let waiting = change
        .waiting_on_requester
        .unwrap_or(before.waiting_on_requester);
    let Some((policy, calendar)) = book.for_ticket(category, priority) else {
        return before.sla.is_some().then_some(None);
    };
    let mut clocks = match &before.sla {
        Some(s) if s.policy_id == policy.id && !recount => s.clone(),
        Some(s) => s.under(policy, calendar),
        None => TicketSla::start(policy, calendar, before.created_at),
    };
    if waiting || status == TicketStatus::Closed {
        if let Some(paused) = clocks.pause(now) {
            clocks = paused;
        }
    } else if let Some(resumed) = clocks.resume(policy, calendar, now) {
        clocks = resumed;
    }
    (before.sla.as_ref() != Some(&clocks)).then(|| Some(columns(clocks, policy, calendar)))
}

/// The clocks once staff first answer in the thread (`None`: already answered, or no policy).
pub(crate) fn answered(book: &SlaBook, t: &Ticket, now: NaiveDateTime) -> Option<SlaColumns> {
    let sla = t.sla.as_ref()?;
    let (policy, calendar) = book.rules_of(sla.policy_id)?;
    Some(columns(sla.responded(now)?, policy, calendar))
}
