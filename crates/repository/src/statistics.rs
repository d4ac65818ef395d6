//! Statistics counters. A ticket contributes fixed amounts to a few counter rows, worked out
//! from its current state alone ([`contributions`]). A write records the difference between
//! the ticket's contributions before and after, in the same transaction; `recompute` sums
//! the contributions of every ticket, which is how counters are verified and rebuilt.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use fixdesk_domain::{Ticket, TicketStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use crate::{
    RepoError,
    batch::Batch,
    entities::{
        statistics::{
            agents, creators, days, equipment as by_item, service_levels as sla_levels,
            service_times as sla_times, tickets as by_status,
        },
        ticket,
    },
};

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
                bucket: fixdesk_domain::sla::statistics::bucket(minutes),
            },
            [1, 0, 0, 0],
        ));
    }
    out
}

fn add(into: &mut Counters, items: Vec<(Counter, Values)>, sign: i64) {
    for (counter, values) in items {
        let entry = into.entry(counter).or_insert([0; 4]);
        for (slot, v) in entry.iter_mut().zip(values) {
            *slot += sign * v;
        }
    }
}

/// Moves the counters from the ticket as it was (`None`: it did not exist) to the ticket as it
/// is (`None`: it is gone).
pub fn record(batch: &mut Batch, before: Option<&Ticket>, after: Option<&Ticket>) {
    let mut delta = Counters::new();
    if let Some(b) = before {
        add(&mut delta, contributions(b), -1);
    }
    if let Some(a) = after {
        add(&mut delta, contributions(a), 1);
    }
    for (counter, values) in delta.into_iter().filter(|(_, v)| v.iter().any(|x| *x != 0)) {
        bump(batch, counter, values);
    }
}

/// `SUM` of a bigint is `numeric` on PostgreSQL; bring it back to bigint on every backend.
fn bigint(e: impl Into<Expr>) -> Expr {
    Expr::expr(e).cast_as("BIGINT")
}

/// Adds `v` to a counter row, creating it if needed (one statement, safe under concurrency).
fn bump(batch: &mut Batch, counter: Counter, v: Values) {
    use sea_orm::ActiveValue::Set;
    macro_rules! upsert {
        ($module:ident, $model:expr, [$($key:ident),+], [$($col:ident),+]) => {{
            let mut conflict = OnConflict::columns([$($module::Column::$key),+]);
            $(conflict.value(
                $module::Column::$col,
                Expr::col(($module::Entity, $module::Column::$col))
                    .add(Expr::cust(format!("excluded.{}", IdenStatic::as_str(&$module::Column::$col)))),
            );)+
            batch.push($module::Entity::insert($model).on_conflict(conflict.to_owned()).build(batch.backend()));
        }};
    }
    match counter {
        Counter::Tickets { status, priority } => upsert!(
            by_status,
            by_status::ActiveModel {
                status: Set(status),
                priority: Set(priority),
                tickets: Set(v[0]),
                resolution_seconds: Set(v[1])
            },
            [Status, Priority],
            [Tickets, ResolutionSeconds]
        ),
        Counter::Creator { user } => upsert!(
            creators,
            creators::ActiveModel {
                user_id: Set(user),
                tickets: Set(v[0])
            },
            [UserId],
            [Tickets]
        ),
        Counter::Agent { user, day } => upsert!(
            agents,
            agents::ActiveModel {
                user_id: Set(user),
                day: Set(day),
                assigned: Set(v[0]),
                resolved: Set(v[1]),
                resolution_seconds: Set(v[2])
            },
            [UserId, Day],
            [Assigned, Resolved, ResolutionSeconds]
        ),
        Counter::Day { day } => upsert!(
            days,
            days::ActiveModel {
                day: Set(day),
                created: Set(v[0]),
                created_resolved: Set(v[1]),
                resolved: Set(v[2]),
                entered_in_progress: Set(v[3])
            },
            [Day],
            [Created, CreatedResolved, Resolved, EnteredInProgress]
        ),
        Counter::Sla {
            day,
            agent,
            category,
            clock,
        } => upsert!(
            sla_levels,
            sla_levels::ActiveModel {
                day: Set(day),
                agent_id: Set(agent),
                category_id: Set(category),
                clock: Set(clock),
                stopped: Set(v[0]),
                met: Set(v[1])
            },
            [Day, AgentId, CategoryId, Clock],
            [Stopped, Met]
        ),
        Counter::Equipment { item, day } => upsert!(
            by_item,
            by_item::ActiveModel {
                equipment_id: Set(item),
                day: Set(day),
                failures: Set(v[0]),
                repairs: Set(v[1]),
                repair_minutes: Set(v[2]),
                downtime_minutes: Set(v[3])
            },
            [EquipmentId, Day],
            [Failures, Repairs, RepairMinutes, DowntimeMinutes]
        ),
        Counter::SlaTime { day, clock, bucket } => upsert!(
            sla_times,
            sla_times::ActiveModel {
                day: Set(day),
                clock: Set(clock),
                bucket: Set(bucket),
                tickets: Set(v[0])
            },
            [Day, Clock, Bucket],
            [Tickets]
        ),
    }
}

/// The counters as stored, all-zero rows left out.
pub async fn stored<C: ConnectionTrait>(conn: &C) -> Result<Counters, RepoError> {
    let mut out = Counters::new();
    for r in by_status::Entity::find().all(conn).await? {
        out.insert(
            Counter::Tickets {
                status: r.status,
                priority: r.priority,
            },
            [r.tickets, r.resolution_seconds, 0, 0],
        );
    }
    for r in creators::Entity::find().all(conn).await? {
        out.insert(Counter::Creator { user: r.user_id }, [r.tickets, 0, 0, 0]);
    }
    for r in agents::Entity::find().all(conn).await? {
        out.insert(
            Counter::Agent {
                user: r.user_id,
                day: r.day,
            },
            [r.assigned, r.resolved, r.resolution_seconds, 0],
        );
    }
    for r in days::Entity::find().all(conn).await? {
        out.insert(
            Counter::Day { day: r.day },
            [
                r.created,
                r.created_resolved,
                r.resolved,
                r.entered_in_progress,
            ],
        );
    }
    for r in sla_levels::Entity::find().all(conn).await? {
        out.insert(
            Counter::Sla {
                day: r.day,
                agent: r.agent_id,
                category: r.category_id,
                clock: r.clock,
            },
            [r.stopped, r.met, 0, 0],
        );
    }
    for r in sla_times::Entity::find().all(conn).await? {
        out.insert(
            Counter::SlaTime {
                day: r.day,
                clock: r.clock,
                bucket: r.bucket,
            },
            [r.tickets, 0, 0, 0],
        );
    }
    for r in by_item::Entity::find().all(conn).await? {
        out.insert(
            Counter::Equipment {
                item: r.equipment_id,
                day: r.day,
            },
            [r.failures, r.repairs, r.repair_minutes, r.downtime_minutes],
        );
    }
    out.retain(|_, v| v.iter().any(|x| *x != 0));
    Ok(out)
}

/// The counters recomputed from every ticket, read in id order a batch at a time.
pub async fn recompute<C: ConnectionTrait>(conn: &C) -> Result<Counters, RepoError> {
    let mut out = Counters::new();
    let mut after = 0i64;
    loop {
        let batch = ticket::Entity::find()
            .filter(ticket::Column::Id.gt(after))
            .order_by_asc(ticket::Column::Id)
            .limit(5_000)
            .all(conn)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for t in crate::tickets::rows_to_domain(batch)? {
            add(&mut out, contributions(&t), 1);
        }
    }
    out.retain(|_, v| v.iter().any(|x| *x != 0));
    Ok(out)
}

/// Keeps ticket writers out until the transaction ends, so a rebuild cannot miss a write that
/// lands between recounting and storing (PostgreSQL; SQLite's write lock already does this).
pub async fn lock_tickets<C: ConnectionTrait>(conn: &C) -> Result<(), RepoError> {
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        conn.execute_unprepared("LOCK TABLE tickets IN SHARE MODE")
            .await?;
    }
    Ok(())
}

/// Replaces the stored counters with `counters`.
pub async fn replace<C: ConnectionTrait>(conn: &C, counters: &Counters) -> Result<(), RepoError> {
    by_status::Entity::delete_many().exec(conn).await?;
    creators::Entity::delete_many().exec(conn).await?;
    agents::Entity::delete_many().exec(conn).await?;
    days::Entity::delete_many().exec(conn).await?;
    sla_levels::Entity::delete_many().exec(conn).await?;
    sla_times::Entity::delete_many().exec(conn).await?;
    by_item::Entity::delete_many().exec(conn).await?;
    let mut batch = Batch::on(conn);
    for (c, v) in counters {
        bump(&mut batch, *c, *v);
    }
    batch.run(conn).await
}

/// Totals per (status, priority): `(status rank, priority rank, tickets, resolution seconds)`.
pub async fn by_status_and_priority<C: ConnectionTrait>(
    conn: &C,
) -> Result<Vec<(i16, i16, i64, i64)>, RepoError> {
    Ok(by_status::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.status, r.priority, r.tickets, r.resolution_seconds))
        .collect())
}

/// Summed columns as the database returns them (`NULL` when nothing matched).
type Sums3 = (i64, Option<i64>, Option<i64>, Option<i64>);
type Sums4 = (Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// Per assignee, for tickets created on or after `since`: (user, assigned, resolved, seconds).
pub async fn agents_since<C: ConnectionTrait>(
    conn: &C,
    since: NaiveDate,
) -> Result<Vec<(i64, i64, i64, i64)>, RepoError> {
    let rows: Vec<Sums3> = agents::Entity::find()
        .select_only()
        .column(agents::Column::UserId)
        .column_as(bigint(agents::Column::Assigned.sum()), "assigned")
        .column_as(bigint(agents::Column::Resolved.sum()), "resolved")
        .column_as(bigint(agents::Column::ResolutionSeconds.sum()), "seconds")
        .filter(agents::Column::Day.gte(since))
        .group_by(agents::Column::UserId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(u, a, r, s)| (u, a.unwrap_or(0), r.unwrap_or(0), s.unwrap_or(0)))
        .collect())
}

/// Sums of the day counters from `since` on: (created, created-and-resolved, resolved,
/// entered in progress).
pub async fn days_since<C: ConnectionTrait>(
    conn: &C,
    since: NaiveDate,
) -> Result<Values, RepoError> {
    let row: Option<Sums4> = days::Entity::find()
        .select_only()
        .column_as(bigint(days::Column::Created.sum()), "created")
        .column_as(
            bigint(days::Column::CreatedResolved.sum()),
            "created_resolved",
        )
        .column_as(bigint(days::Column::Resolved.sum()), "resolved")
        .column_as(bigint(days::Column::EnteredInProgress.sum()), "entered")
        .filter(days::Column::Day.gte(since))
        .into_tuple()
        .one(conn)
        .await?;
    let (a, b, c, d) = row.unwrap_or_default();
    Ok([
        a.unwrap_or(0),
        b.unwrap_or(0),
        c.unwrap_or(0),
        d.unwrap_or(0),
    ])
}

/// The `top` creators with at least one ticket, most tickets first (ties by id).
pub async fn top_creators<C: ConnectionTrait>(
    conn: &C,
    top: u64,
) -> Result<Vec<(i64, i64)>, RepoError> {
    Ok(creators::Entity::find()
        .filter(creators::Column::Tickets.gt(0))
        .order_by_desc(creators::Column::Tickets)
        .order_by_asc(creators::Column::UserId)
        .limit(top)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.user_id, r.tickets))
        .collect())
}

/// How many tickets have the given status and priority (either may be any), from the
/// counters: a sum over at most nine rows.
pub async fn count<C: ConnectionTrait>(
    conn: &C,
    status: Option<fixdesk_domain::TicketStatus>,
    priority: Option<fixdesk_domain::Priority>,
) -> Result<u64, RepoError> {
    let mut q = by_status::Entity::find()
        .select_only()
        .column_as(bigint(by_status::Column::Tickets.sum()), "n");
    if let Some(s) = status {
        q = q.filter(by_status::Column::Status.eq(s.rank()));
    }
    if let Some(p) = priority {
        q = q.filter(by_status::Column::Priority.eq(p.rank()));
    }
    let sum: Option<Option<i64>> = q.into_tuple().one(conn).await?;
    Ok(u64::try_from(sum.flatten().unwrap_or(0)).unwrap_or(0))
}

/// Service-level counters from `since` on, summed per (agent, category, clock):
/// `(agent, category, clock, stopped, met)` (agent and category 0: none).
pub async fn service_levels_since<C: ConnectionTrait>(
    conn: &C,
    since: NaiveDate,
) -> Result<Vec<(i64, i64, i16, i64, i64)>, RepoError> {
    /// Agent, category, clock and the two sums as the database returns them.
    type Summed = (i64, i64, i16, Option<i64>, Option<i64>);
    let rows: Vec<Summed> = sla_levels::Entity::find()
        .select_only()
        .column(sla_levels::Column::AgentId)
        .column(sla_levels::Column::CategoryId)
        .column(sla_levels::Column::Clock)
        .column_as(bigint(sla_levels::Column::Stopped.sum()), "stopped")
        .column_as(bigint(sla_levels::Column::Met.sum()), "met")
        .filter(sla_levels::Column::Day.gte(since))
        .group_by(sla_levels::Column::AgentId)
        .group_by(sla_levels::Column::CategoryId)
        .group_by(sla_levels::Column::Clock)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(a, c, k, s, m)| (a, c, k, s.unwrap_or(0), m.unwrap_or(0)))
        .collect())
}

/// The duration histogram from `since` on: `(clock, bucket, tickets)`.
pub async fn service_times_since<C: ConnectionTrait>(
    conn: &C,
    since: NaiveDate,
) -> Result<Vec<(i16, i16, i64)>, RepoError> {
    let rows: Vec<(i16, i16, Option<i64>)> = sla_times::Entity::find()
        .select_only()
        .column(sla_times::Column::Clock)
        .column(sla_times::Column::Bucket)
        .column_as(bigint(sla_times::Column::Tickets.sum()), "tickets")
        .filter(sla_times::Column::Day.gte(since))
        .group_by(sla_times::Column::Clock)
        .group_by(sla_times::Column::Bucket)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(c, b, n)| (c, b, n.unwrap_or(0)))
        .collect())
}

/// An item's summed counters as the database returns them.
type ItemSums = (i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// Per item, from `from` to `to` (both days included): failures, repairs, repair minutes,
/// downtime minutes.
pub async fn equipment_between<C: ConnectionTrait>(
    conn: &C,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(i64, [i64; 4])>, RepoError> {
    let rows: Vec<ItemSums> = by_item::Entity::find()
        .select_only()
        .column(by_item::Column::EquipmentId)
        .column_as(bigint(by_item::Column::Failures.sum()), "failures")
        .column_as(bigint(by_item::Column::Repairs.sum()), "repairs")
        .column_as(bigint(by_item::Column::RepairMinutes.sum()), "minutes")
        .column_as(bigint(by_item::Column::DowntimeMinutes.sum()), "downtime")
        .filter(by_item::Column::Day.gte(from))
        .filter(by_item::Column::Day.lte(to))
        .group_by(by_item::Column::EquipmentId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(item, f, r, m, d)| (item, [f, r, m, d].map(|v| v.unwrap_or(0))))
        .collect())
}
