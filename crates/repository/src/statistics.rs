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
        statistics::{agents, creators, days, tickets as by_status},
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
}

/// The values of a counter row, in the order of its table's columns:
/// `Tickets`: tickets, resolution seconds; `Creator`: tickets; `Agent`: assigned, resolved,
/// resolution seconds; `Day`: created, created-and-resolved, resolved, entered in progress.
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
