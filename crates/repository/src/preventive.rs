//! Preventive maintenance schedules and the occurrences (due dates) they opened tickets for.

use chrono::{NaiveDate, NaiveDateTime};
use fixdesk_domain::{
    CategoryId, EquipmentId, EquipmentStatus, TicketId, UserId,
    preventive::{Period, Schedule, ScheduleDraft, ScheduleId, YearDays},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::OnConflict,
};

use crate::{
    RepoError,
    entities::{equipment, maintenance_occurrence as occurrence, maintenance_schedule as schedule},
};

fn to_domain(m: schedule::Model) -> Result<Schedule, RepoError> {
    let period = if m.period_unit == "dates" {
        let dates: Vec<String> = m.dates.split(',').map(str::to_string).collect();
        YearDays::parse(&dates).map(Period::Dates)
    } else {
        Period::parse(&m.period_unit, i64::from(m.period_count))
    }
    .map_err(|e| RepoError::InvalidRow {
        table: "maintenance_schedules",
        reason: format!("schedule {}: {}", m.id, e.message),
    })?;
    Ok(Schedule {
        id: ScheduleId(m.id),
        title: m.title,
        equipment_id: m.equipment_id.map(EquipmentId),
        category_id: m.category_id.map(CategoryId),
        checklist: m
            .checklist
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        period,
        starts_on: m.starts_on,
        lead_days: u32::try_from(m.lead_days).unwrap_or(0),
        enabled: m.enabled,
        created_by: UserId(m.created_by),
    })
}

fn fill(m: &mut schedule::ActiveModel, d: ScheduleDraft) {
    m.title = Set(d.title);
    m.equipment_id = Set(d.equipment_id.map(|e| e.0));
    m.category_id = Set(d.category_id.map(|c| c.0));
    m.checklist = Set(d.checklist.join("\n"));
    m.period_unit = Set(d.period.unit().to_string());
    m.period_count = Set(d.period.count() as i32);
    m.dates = Set(match d.period {
        Period::Dates(days) => days.to_list().join(","),
        _ => String::new(),
    });
    m.starts_on = Set(d.starts_on);
    m.lead_days = Set(d.lead_days as i32);
    m.enabled = Set(d.enabled);
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    draft: ScheduleDraft,
    by: UserId,
    now: NaiveDateTime,
) -> Result<Schedule, RepoError> {
    let mut m = schedule::ActiveModel {
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    };
    fill(&mut m, draft);
    to_domain(m.insert(conn).await?)
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: ScheduleId,
    draft: ScheduleDraft,
) -> Result<Schedule, RepoError> {
    let mut m = schedule::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.0),
        ..Default::default()
    };
    fill(&mut m, draft);
    to_domain(m.update(conn).await?)
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: ScheduleId) -> Result<(), RepoError> {
    occurrence::Entity::delete_many()
        .filter(occurrence::Column::ScheduleId.eq(id.0))
        .exec(conn)
        .await?;
    schedule::Entity::delete_by_id(id.0).exec(conn).await?;
    Ok(())
}

pub async fn find<C: ConnectionTrait>(
    conn: &C,
    id: ScheduleId,
) -> Result<Option<Schedule>, RepoError> {
    schedule::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// Every schedule in id order (`enabled_only`: those switched on).
pub async fn all<C: ConnectionTrait>(
    conn: &C,
    enabled_only: bool,
) -> Result<Vec<Schedule>, RepoError> {
    let mut q = schedule::Entity::find().order_by_asc(schedule::Column::Id);
    if enabled_only {
        q = q.filter(schedule::Column::Enabled.eq(true));
    }
    q.all(conn).await?.into_iter().map(to_domain).collect()
}

/// The live items a schedule services (decommissioned ones are not serviced).
pub async fn items_of<C: ConnectionTrait>(
    conn: &C,
    s: &Schedule,
) -> Result<Vec<EquipmentId>, RepoError> {
    let mut q = equipment::Entity::find()
        .select_only()
        .column(equipment::Column::Id)
        .filter(equipment::Column::DeletedAt.is_null())
        .filter(equipment::Column::Status.ne(EquipmentStatus::Decommissioned.as_str()))
        .order_by_asc(equipment::Column::Id);
    q = match (s.equipment_id, s.category_id) {
        (Some(e), _) => q.filter(equipment::Column::Id.eq(e.0)),
        (None, Some(c)) => q.filter(equipment::Column::CategoryId.eq(c.0)),
        (None, None) => return Ok(Vec::new()),
    };
    Ok(q.into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .map(EquipmentId)
        .collect())
}

/// Whether a ticket of this schedule for this item is still open (not completed).
pub async fn has_open<C: ConnectionTrait>(
    conn: &C,
    s: ScheduleId,
    item: EquipmentId,
) -> Result<bool, RepoError> {
    Ok(occurrence::Entity::find()
        .filter(occurrence::Column::ScheduleId.eq(s.0))
        .filter(occurrence::Column::EquipmentId.eq(item.0))
        .filter(occurrence::Column::CompletedAt.is_null())
        .one(conn)
        .await?
        .is_some())
}

/// Takes a due date for this item: `Some(id)` for whoever inserts its occurrence first,
/// `None` when another run (another instance) already did.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    s: ScheduleId,
    item: EquipmentId,
    due: NaiveDate,
    now: NaiveDateTime,
) -> Result<Option<i64>, RepoError> {
    let row = occurrence::ActiveModel {
        schedule_id: Set(s.0),
        equipment_id: Set(item.0),
        due_on: Set(due),
        ticket_id: Set(None),
        opened_at: Set(now),
        completed_at: Set(None),
        ..Default::default()
    };
    let inserted = occurrence::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                occurrence::Column::ScheduleId,
                occurrence::Column::EquipmentId,
                occurrence::Column::DueOn,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    if inserted == 0 {
        return Ok(None);
    }
    Ok(occurrence::Entity::find()
        .filter(occurrence::Column::ScheduleId.eq(s.0))
        .filter(occurrence::Column::EquipmentId.eq(item.0))
        .filter(occurrence::Column::DueOn.eq(due))
        .one(conn)
        .await?
        .map(|o| o.id))
}

pub async fn set_ticket<C: ConnectionTrait>(
    conn: &C,
    occurrence_id: i64,
    ticket: TicketId,
) -> Result<(), RepoError> {
    occurrence::Entity::update_many()
        .col_expr(
            occurrence::Column::TicketId,
            sea_orm::sea_query::Expr::value(ticket.0),
        )
        .filter(occurrence::Column::Id.eq(occurrence_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The open occurrence a ticket serves: its id, schedule and due date.
pub async fn open_for_ticket<C: ConnectionTrait>(
    conn: &C,
    ticket: TicketId,
) -> Result<Option<(i64, ScheduleId, NaiveDate)>, RepoError> {
    Ok(occurrence::Entity::find()
        .filter(occurrence::Column::TicketId.eq(ticket.0))
        .filter(occurrence::Column::CompletedAt.is_null())
        .one(conn)
        .await?
        .map(|o| (o.id, ScheduleId(o.schedule_id), o.due_on)))
}

pub async fn complete<C: ConnectionTrait>(
    conn: &C,
    occurrence_id: i64,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    occurrence::Entity::update_many()
        .col_expr(
            occurrence::Column::CompletedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(occurrence::Column::Id.eq(occurrence_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The latest due date serviced (or opened, when `opened` is set) per item of a schedule.
pub async fn latest_due<C: ConnectionTrait>(
    conn: &C,
    s: ScheduleId,
    opened: bool,
) -> Result<Vec<(EquipmentId, NaiveDate)>, RepoError> {
    let mut q = occurrence::Entity::find()
        .select_only()
        .column(occurrence::Column::EquipmentId)
        .column_as(occurrence::Column::DueOn.max(), "due")
        .filter(occurrence::Column::ScheduleId.eq(s.0))
        .group_by(occurrence::Column::EquipmentId);
    if !opened {
        q = q.filter(occurrence::Column::CompletedAt.is_not_null());
    }
    Ok(q.into_tuple::<(i64, NaiveDate)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(e, d)| (EquipmentId(e), d))
        .collect())
}

/// The ticket open for an item under a schedule.
pub async fn open_ticket<C: ConnectionTrait>(
    conn: &C,
    s: ScheduleId,
    item: EquipmentId,
) -> Result<Option<TicketId>, RepoError> {
    Ok(occurrence::Entity::find()
        .filter(occurrence::Column::ScheduleId.eq(s.0))
        .filter(occurrence::Column::EquipmentId.eq(item.0))
        .filter(occurrence::Column::CompletedAt.is_null())
        .one(conn)
        .await?
        .and_then(|o| o.ticket_id.map(TicketId)))
}
