//! Business calendars and service-level policies, and the sweep's view of the tickets whose
//! clocks need a look.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    CategoryId, Priority, TicketId, UserId,
    sla::{
        BusinessCalendar, CalendarDraft, CalendarId, Escalation, Holiday, NamedCalendar,
        PolicyDraft, PolicyId, SlaBook, SlaPolicy, WorkingHours,
    },
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{
    RepoError,
    entities::{sla_calendar, sla_policy, ticket},
};

fn invalid(table: &'static str, id: i64, what: &str) -> RepoError {
    RepoError::InvalidRow {
        table,
        reason: format!("{id}: bad {what}"),
    }
}

fn calendar_to_domain(m: sla_calendar::Model) -> Result<NamedCalendar, RepoError> {
    let zone = m
        .time_zone
        .parse()
        .map_err(|_| invalid("sla_calendars", m.id, "time zone"))?;
    let mut week = [None; 7];
    for (slot, day) in week.iter_mut().zip(m.week.split(',')) {
        if !day.is_empty() {
            *slot = Some(
                WorkingHours::parse("week", day)
                    .map_err(|_| invalid("sla_calendars", m.id, "week"))?,
            );
        }
    }
    let holidays = m
        .holidays
        .split(',')
        .filter(|h| !h.is_empty())
        .map(|h| Holiday::parse(h).map_err(|_| invalid("sla_calendars", m.id, "holiday")))
        .collect::<Result<_, _>>()?;
    Ok(NamedCalendar {
        id: CalendarId(m.id),
        name: m.name,
        calendar: BusinessCalendar {
            zone,
            week,
            holidays,
        },
    })
}

fn calendar_columns(m: &mut sla_calendar::ActiveModel, draft: CalendarDraft) {
    let c = draft.calendar;
    m.name = Set(draft.name);
    m.time_zone = Set(c.zone.name().to_string());
    m.week = Set(c
        .week
        .iter()
        .map(|d| d.map(WorkingHours::to_text).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(","));
    m.holidays = Set(c
        .holidays
        .iter()
        .map(|h| h.to_text())
        .collect::<Vec<_>>()
        .join(","));
}

fn policy_to_domain(m: sla_policy::Model) -> Result<SlaPolicy, RepoError> {
    let priority = match m.priority {
        Some(p) => {
            Some(Priority::from_rank(p).ok_or_else(|| invalid("sla_policies", m.id, "priority"))?)
        }
        None => None,
    };
    Ok(SlaPolicy {
        id: PolicyId(m.id),
        name: m.name,
        category_id: m.category_id.map(CategoryId),
        priority,
        calendar_id: CalendarId(m.calendar_id),
        first_response_minutes: m.first_response_minutes,
        resolution_minutes: m.resolution_minutes,
        escalation: Escalation {
            raise_priority: m.escalate_raise_priority,
            reassign_to: m.escalate_to_id.map(UserId),
        },
    })
}

fn policy_columns(m: &mut sla_policy::ActiveModel, d: PolicyDraft) {
    m.name = Set(d.name);
    m.category_id = Set(d.category_id.map(|c| c.0));
    m.priority = Set(d.priority.map(Priority::rank));
    m.calendar_id = Set(d.calendar_id.0);
    m.first_response_minutes = Set(d.first_response_minutes);
    m.resolution_minutes = Set(d.resolution_minutes);
    m.escalate_raise_priority = Set(d.escalation.raise_priority);
    m.escalate_to_id = Set(d.escalation.reassign_to.map(|u| u.0));
}

/// Every calendar and policy, in id order.
pub async fn book<C: ConnectionTrait>(conn: &C) -> Result<SlaBook, RepoError> {
    let calendars = sla_calendar::Entity::find()
        .order_by_asc(sla_calendar::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(calendar_to_domain)
        .collect::<Result<_, _>>()?;
    let policies = sla_policy::Entity::find()
        .order_by_asc(sla_policy::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(policy_to_domain)
        .collect::<Result<_, _>>()?;
    Ok(SlaBook {
        calendars,
        policies,
    })
}

pub async fn insert_calendar<C: ConnectionTrait>(
    conn: &C,
    draft: CalendarDraft,
    now: NaiveDateTime,
) -> Result<NamedCalendar, RepoError> {
    let mut m = sla_calendar::ActiveModel {
        created_at: Set(now),
        ..Default::default()
    };
    calendar_columns(&mut m, draft);
    calendar_to_domain(m.insert(conn).await?)
}

pub async fn update_calendar<C: ConnectionTrait>(
    conn: &C,
    id: CalendarId,
    draft: CalendarDraft,
) -> Result<NamedCalendar, RepoError> {
    let current = sla_calendar::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut m: sla_calendar::ActiveModel = current.into();
    calendar_columns(&mut m, draft);
    calendar_to_domain(m.update(conn).await?)
}

/// Deletes a calendar no policy uses (a used one is refused by its foreign key).
pub async fn delete_calendar<C: ConnectionTrait>(
    conn: &C,
    id: CalendarId,
) -> Result<(), RepoError> {
    let r = sla_calendar::Entity::delete_by_id(id.0).exec(conn).await?;
    RepoError::found(r.rows_affected)
}

/// How many policies count their targets on the calendar.
pub async fn policies_on<C: ConnectionTrait>(conn: &C, id: CalendarId) -> Result<u64, RepoError> {
    Ok(sla_policy::Entity::find()
        .filter(sla_policy::Column::CalendarId.eq(id.0))
        .count(conn)
        .await?)
}

pub async fn insert_policy<C: ConnectionTrait>(
    conn: &C,
    draft: PolicyDraft,
    now: NaiveDateTime,
) -> Result<SlaPolicy, RepoError> {
    let mut m = sla_policy::ActiveModel {
        created_at: Set(now),
        ..Default::default()
    };
    policy_columns(&mut m, draft);
    policy_to_domain(m.insert(conn).await?)
}

pub async fn update_policy<C: ConnectionTrait>(
    conn: &C,
    id: PolicyId,
    draft: PolicyDraft,
) -> Result<SlaPolicy, RepoError> {
    let current = sla_policy::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut m: sla_policy::ActiveModel = current.into();
    policy_columns(&mut m, draft);
    policy_to_domain(m.update(conn).await?)
}

pub async fn delete_policy<C: ConnectionTrait>(conn: &C, id: PolicyId) -> Result<(), RepoError> {
    let r = sla_policy::Entity::delete_by_id(id.0).exec(conn).await?;
    RepoError::found(r.rows_affected)
}

/// Open tickets whose clocks the sweep should look at by `now`, soonest first.
pub async fn due_for_check<C: ConnectionTrait>(
    conn: &C,
    now: NaiveDateTime,
    limit: u64,
) -> Result<Vec<TicketId>, RepoError> {
    Ok(ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .filter(ticket::Column::SlaNextCheckAt.lte(now))
        .order_by_asc(ticket::Column::SlaNextCheckAt)
        .limit(limit)
        .into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .map(TicketId)
        .collect())
}

/// Records that the notices of `stage` went out, if the ticket still stands at `expected`:
/// of two sweeps handling the same ticket at once only one sees `true`, so each notice goes
/// out once across every instance.
pub async fn advance_stage<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    expected: i16,
    stage: i16,
    next_check_at: Option<NaiveDateTime>,
) -> Result<bool, RepoError> {
    let r = ticket::Entity::update_many()
        .col_expr(ticket::Column::SlaStage, Expr::value(stage))
        .col_expr(ticket::Column::SlaNextCheckAt, Expr::value(next_check_at))
        .filter(ticket::Column::Id.eq(id.0))
        .filter(ticket::Column::SlaStage.eq(expected))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn find_calendar<C: ConnectionTrait>(
    conn: &C,
    id: CalendarId,
) -> Result<Option<NamedCalendar>, RepoError> {
    sla_calendar::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(calendar_to_domain)
        .transpose()
}

pub async fn find_policy<C: ConnectionTrait>(
    conn: &C,
    id: PolicyId,
) -> Result<Option<SlaPolicy>, RepoError> {
    sla_policy::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(policy_to_domain)
        .transpose()
}
