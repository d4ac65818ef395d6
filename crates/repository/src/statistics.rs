//! Statistics counters in storage. What a ticket adds to them is the domain's
//! ([`fixdesk_domain::counters`]); here a write's change is applied in its transaction
//! ([`apply`]), the stored rows are read back, and `recompute` sums the contributions of every
//! ticket, which is how counters are verified and rebuilt.

use chrono::NaiveDate;
use fixdesk_domain::counters::{Counter, Counters, Values, add, contributions};
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

/// Applies a change of the counters (see [`fixdesk_domain::counters::delta`]) in the batch.
pub fn apply(batch: &mut Batch, delta: Counters) {
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
