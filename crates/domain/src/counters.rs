//! What each ticket adds to the statistics counters, worked out from its current state alone:
//! the rules behind every figure of the dashboard, the service-level statistics and equipment
//! reliability. A write moves the counters by the [`delta`] between the ticket before and after
//! it; a recount sums [`contributions`] of every ticket. Storage only applies what this says.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::{Ticket, TicketStatus};

/// One counter row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Counter {
    /// Tickets per status and priority.
    Tickets { status: i16, priority: i16 },
    /// Tickets per creator.
    Creator { user: i64 },
    /// Per assignee and ticket creation day.
    Agent { user: i64, day: NaiveDate },
    /// Per day.
    Day { day: NaiveDate },
    /// Service-level clocks stopped per day, holder, category and clock (0: first response,
    /// 1: resolution).
    Sla {
        day: NaiveDate,
        agent: i64,
        category: i64,
        clock: i16,
    },
    /// How long stopped clocks took, per day, clock and duration bucket.
    SlaTime {
        day: NaiveDate,
        clock: i16,
        bucket: i16,
    },
    /// An item's failures (tickets filed about it, planned maintenance aside) per day filed,
    /// and its repairs (those closed), their minutes from filing to closing and the item's
    /// downtime (as staff corrected it, else the same) per day closed.
    Equipment { item: i64, day: NaiveDate },
}

/// The values of a counter row, in the order of its table's columns:
/// `Tickets`: tickets, resolution seconds; `Creator`: tickets; `Agent`: assigned, resolved,
/// resolution seconds; `Day`: created, created-and-resolved, resolved, entered in progress;
/// `Sla`: stopped, met; `SlaTime`: tickets; `Equipment`: failures, repairs, repair minutes,
/// downtime minutes.
pub type Values = [i64; 4];

/// Counter rows and their values.
pub type Counters = BTreeMap<Counter, Values>;

/// The seconds from filing to closing, for a closed ticket.
fn resolution_seconds(t: &Ticket) -> Option<i64> {
    match (t.status, t.closed_at) {
        (TicketStatus::Closed, Some(closed)) => {
            Some(Ord::max((closed - t.created_at).num_seconds(), 0))
        }
        _ => None,
    }
}

/// What one ticket adds to the counters.
pub fn contributions(t: &Ticket) -> Vec<(Counter, Values)> {
    let resolved = resolution_seconds(t);
    let closed = i64::from(resolved.is_some());
    let seconds = resolved.unwrap_or(0);
    let created = t.created_at.date();
    let mut out = vec![
        (
            Counter::Tickets {
                status: t.status.rank(),
                priority: t.priority.rank(),
            },
            [1, seconds, 0, 0],
        ),
        (
            Counter::Creator {
                user: t.creator_id.0,
            },
            [1, 0, 0, 0],
        ),
        (Counter::Day { day: created }, [1, closed, 0, 0]),
    ];
    if let Some(a) = t.assigned_to_id {
        out.push((
            Counter::Agent {
                user: a.0,
                day: created,
            },
            [1, closed, seconds, 0],
        ));
    }
    if let (Some(_), Some(at)) = (resolved, t.closed_at) {
        out.push((Counter::Day { day: at.date() }, [0, 0, 1, 0]));
    }
    if t.status == TicketStatus::InProgress {
        out.push((
            Counter::Day {
                day: t.status_changed_at.date(),
            },
            [0, 0, 0, 1],
        ));
    }
    out.extend(service_levels(t));
    out.extend(equipment(t));
    out
}

/// What a ticket about an item adds to its reliability: a failure on the day it was filed and,
/// once closed, a repair and its minutes on the day it was closed. Planned maintenance adds
/// nothing (it is service, not a failure).
fn equipment(t: &Ticket) -> Vec<(Counter, Values)> {
    let Some(item) = t.equipment_id.filter(|_| !t.planned) else {
        return Vec::new();
    };
    let mut out = vec![(
        Counter::Equipment {
            item: item.0,
            day: t.created_at.date(),
        },
        [1, 0, 0, 0],
    )];
    if let (TicketStatus::Closed, Some(at)) = (t.status, t.closed_at) {
        let minutes = Ord::max((at - t.created_at).num_minutes(), 0);
        out.push((
            Counter::Equipment {
                item: item.0,
                day: at.date(),
            },
            [0, 1, minutes, t.downtime_minutes.unwrap_or(minutes)],
        ));
    }
    out
}

/// What a ticket's stopped service-level clocks add: the first answer (stopped at
/// `first_responded_at`) and, while closed, the resolution (stopped at closing).
fn service_levels(t: &Ticket) -> Vec<(Counter, Values)> {
    let Some(sla) = &t.sla else {
        return Vec::new();
    };
    let resolution = match (t.status, t.closed_at) {
        (TicketStatus::Closed, Some(at)) => Some((at, sla.resolution_due_at)),
        _ => None,
    };
    let stopped = [
        (
            0,
            sla.first_responded_at
                .map(|at| (at, sla.first_response_due_at)),
        ),
        (1, resolution),
    ];
    let mut out = Vec::new();
    for (clock, stop) in stopped {
        let Some((at, due)) = stop else { continue };
        let day = at.date();
        let minutes = Ord::max((at - t.created_at).num_minutes(), 0);
        out.push((
            Counter::Sla {
                day,
                agent: t.assigned_to_id.map_or(0, |u| u.0),
                category: t.category_id.map_or(0, |c| c.0),
                clock,
            },
            [1, i64::from(at <= due), 0, 0],
        ));
        out.push((
            Counter::SlaTime {
                day,
                clock,
                bucket: crate::sla::statistics::bucket(minutes),
            },
            [1, 0, 0, 0],
        ));
    }
    out
}

/// Adds `items` to `into`, each times `sign` (1 or -1).
pub fn add(into: &mut Counters, items: Vec<(Counter, Values)>, sign: i64) {
    for (counter, values) in items {
        let entry = into.entry(counter).or_insert([0; 4]);
        for (slot, v) in entry.iter_mut().zip(values) {
            *slot += sign * v;
        }
    }
}

/// How the counters move when a ticket goes from `before` (`None`: it did not exist) to `after`
/// (`None`: it is gone): rows that do not move are left out.
pub fn delta(before: Option<&Ticket>, after: Option<&Ticket>) -> Counters {
    let mut out = Counters::new();
    if let Some(b) = before {
        add(&mut out, contributions(b), -1);
    }
    if let Some(a) = after {
        add(&mut out, contributions(a), 1);
    }
    out.retain(|_, v| v.iter().any(|x| *x != 0));
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;
    use crate::{EquipmentId, testing::ticket};

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn day(s: &str) -> NaiveDate {
        at(&format!("{s} 00:00")).date()
    }

    #[test]
    fn a_new_ticket_counts_once_by_status_creator_and_day() {
        let mut t = ticket(7, None, TicketStatus::New);
        t.created_at = at("2026-12-07 09:00");
        let d = delta(None, Some(&t));
        assert_eq!(d.get(&Counter::Creator { user: 7 }), Some(&[1, 0, 0, 0]));
        assert_eq!(
            d.get(&Counter::Tickets {
                status: TicketStatus::New.rank(),
                priority: t.priority.rank()
            }),
            Some(&[1, 0, 0, 0])
        );
        assert_eq!(
            d.get(&Counter::Day {
                day: day("2026-12-07")
            }),
            Some(&[1, 0, 0, 0])
        );
        assert_eq!(d.len(), 3, "{d:?}");
        // Deleted, it takes back exactly what it gave.
        let gone = delta(Some(&t), None);
        for (counter, values) in &d {
            assert_eq!(gone.get(counter).map(|v| v.map(|x| -x)), Some(*values));
        }
    }

    #[test]
    fn closing_moves_the_ticket_between_statuses_and_counts_its_resolution() {
        let mut open = ticket(7, Some(3), TicketStatus::InProgress);
        open.created_at = at("2026-12-07 09:00");
        open.status_changed_at = at("2026-12-07 09:30");
        let mut closed = open.clone();
        closed.status = TicketStatus::Closed;
        closed.closed_at = Some(at("2026-12-08 10:00"));
        let d = delta(Some(&open), Some(&closed));
        let seconds = (25 * 60 * 60) as i64;
        let p = open.priority.rank();
        assert_eq!(
            d.get(&Counter::Tickets {
                status: TicketStatus::InProgress.rank(),
                priority: p
            }),
            Some(&[-1, 0, 0, 0])
        );
        assert_eq!(
            d.get(&Counter::Tickets {
                status: TicketStatus::Closed.rank(),
                priority: p
            }),
            Some(&[1, seconds, 0, 0])
        );
        assert_eq!(
            d.get(&Counter::Agent {
                user: 3,
                day: day("2026-12-07")
            }),
            Some(&[0, 1, seconds, 0])
        );
        assert_eq!(
            d.get(&Counter::Day {
                day: day("2026-12-08")
            }),
            Some(&[0, 0, 1, 0])
        );
        assert_eq!(
            d.get(&Counter::Day {
                day: day("2026-12-07")
            }),
            Some(&[0, 1, 0, -1]),
            "resolved on its filing day's row; no longer in progress"
        );
        assert!(
            !d.contains_key(&Counter::Creator { user: 7 }),
            "the creator does not move"
        );
    }

    #[test]
    fn an_items_failures_and_repairs_count_but_planned_maintenance_does_not() {
        let mut t = ticket(7, None, TicketStatus::Closed);
        t.equipment_id = Some(EquipmentId(5));
        t.created_at = at("2026-12-07 09:00");
        t.closed_at = Some(at("2026-12-07 11:00"));
        t.downtime_minutes = Some(30);
        let d = delta(None, Some(&t));
        assert_eq!(
            d.get(&Counter::Equipment {
                item: 5,
                day: day("2026-12-07")
            }),
            Some(&[1, 1, 120, 30]),
            "one failure, one repair of 120 minutes, its corrected downtime"
        );
        t.planned = true;
        let planned = delta(None, Some(&t));
        assert!(
            !planned
                .keys()
                .any(|c| matches!(c, Counter::Equipment { .. }))
        );
    }

    #[test]
    fn an_edit_that_changes_nothing_counted_moves_nothing() {
        let t = ticket(7, Some(3), TicketStatus::InProgress);
        let mut retitled = t.clone();
        retitled.title = "another".into();
        assert!(delta(Some(&t), Some(&retitled)).is_empty());
    }
}
