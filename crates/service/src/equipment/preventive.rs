//! Preventive maintenance: the schedules (admins), what is due (staff) and the sweep that opens
//! maintenance tickets through the job queue (the record a completed one leaves is
//! `planned_completion`).
//!
//! Exactly once across instances: a due date is claimed by inserting its occurrence (unique per
//! schedule, item and date) in the same unit of work as the ticket, so of two sweeps only one
//! files it. After downtime the sweep files one ticket, for the latest date whose lead time has
//! begun (see `Schedule::due_to_open`); while that ticket is open no other is filed for the item.

use std::{sync::Arc, time::Duration};

use chrono::NaiveDate;
use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, AuditAction, AuditEntity, ClientInfo, DomainError, Job, JobKind, NewAuditEntry, UserId,
    preventive::{Schedule, ScheduleDraft, ScheduleId},
};
use fixdesk_repository::{categories, equipment, preventive as plans, users};
use fixdesk_usecases::{PreventiveUseCases, ServiceDue, ServiceError, async_trait};
use serde_json::json;

use crate::{
    context::Context,
    jobs::sweeps,
    tickets::{Filer, Tickets},
    trail,
};

/// How often each instance queues a sweep (unless one waits or runs already).
pub(crate) const EVERY: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct Preventive {
    ctx: Arc<Context>,
}

impl Preventive {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// That the schedule's item or category exists.
    async fn ensure_valid<C: ConnectionTrait>(
        conn: &C,
        d: &ScheduleDraft,
    ) -> Result<(), ServiceError> {
        if let Some(e) = d.equipment_id
            && equipment::find(conn, e).await?.is_none()
        {
            return Err(DomainError::EquipmentNotFound.into());
        }
        if let Some(c) = d.category_id
            && categories::find(conn, c).await?.is_none()
        {
            return Err(DomainError::UnknownCategory.into());
        }
        Ok(())
    }
}

fn changed(
    actor: UserId,
    before: Option<&Schedule>,
    after: Option<&Schedule>,
    client: &ClientInfo,
) -> NewAuditEntry {
    let values = |s: &Schedule| {
        json!({
            "title": s.title, "equipment_id": s.equipment_id.map(|e| e.0),
            "category_id": s.category_id.map(|c| c.0), "checklist": s.checklist,
            "every": s.period.count(), "unit": s.period.unit(), "starts_on": s.starts_on,
            "lead_days": s.lead_days, "enabled": s.enabled,
        })
    };
    let (action, verb) = match (before, after) {
        (None, _) => (AuditAction::Create, "Создан"),
        (Some(_), Some(_)) => (AuditAction::Update, "Изменён"),
        (Some(_), None) => (AuditAction::Delete, "Удалён"),
    };
    let s = after.or(before);
    trail::entry(
        Some(actor),
        action,
        AuditEntity::MaintenanceSchedule,
        s.map(|s| s.id.0),
        format!("{verb} план обслуживания «{}»", s.map_or("", |s| &s.title)),
        before.map(values),
        after.map(values),
        client,
    )
}

#[async_trait]
impl PreventiveUseCases for Preventive {
    async fn schedules(&self, actor: &Actor) -> Result<Vec<Schedule>, ServiceError> {
        actor.require_staff()?;
        Ok(plans::all(self.ctx.db.reader(), false).await?)
    }

    async fn create(
        &self,
        actor: &Actor,
        draft: ScheduleDraft,
        client: &ClientInfo,
    ) -> Result<Schedule, ServiceError> {
        actor.require_admin()?;
        let draft = draft.checked()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        Self::ensure_valid(uow.conn(), &draft).await?;
        let s = plans::insert(uow.conn(), draft, actor.id, now).await?;
        trail::commit(uow, changed(actor.id, None, Some(&s), client), now).await?;
        sweep_soon(&self.ctx).await;
        Ok(s)
    }

    async fn update(
        &self,
        actor: &Actor,
        id: ScheduleId,
        draft: ScheduleDraft,
        client: &ClientInfo,
    ) -> Result<Schedule, ServiceError> {
        actor.require_admin()?;
        let draft = draft.checked()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = plans::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::ScheduleNotFound)?;
        Self::ensure_valid(uow.conn(), &draft).await?;
        let after = plans::update(uow.conn(), id, draft).await?;
        let entry = changed(actor.id, Some(&before), Some(&after), client);
        trail::commit(uow, entry, now).await?;
        sweep_soon(&self.ctx).await;
        Ok(after)
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: ScheduleId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = plans::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::ScheduleNotFound)?;
        plans::delete(uow.conn(), id).await?;
        trail::commit(uow, changed(actor.id, Some(&before), None, client), now).await
    }

    async fn due(&self, actor: &Actor, days: u32) -> Result<Vec<ServiceDue>, ServiceError> {
        actor.require_staff()?;
        let until = self.ctx.clock.now().date() + chrono::Days::new(u64::from(days));
        let conn = self.ctx.db.reader();
        let mut due = Vec::new();
        for s in plans::all(conn, true).await? {
            let done = plans::latest_due(conn, s.id, false).await?;
            let opened = plans::latest_due(conn, s.id, true).await?;
            for item in plans::items_of(conn, &s).await? {
                let last = done.iter().find(|(e, _)| *e == item).map(|(_, d)| *d);
                let Some(next) = s.next_due(last) else {
                    continue;
                };
                if next > until {
                    continue;
                }
                let open = opened
                    .iter()
                    .any(|(e, d)| *e == item && last.is_none_or(|l| *d > l));
                let open_ticket = if open {
                    plans::open_ticket(conn, s.id, item).await?
                } else {
                    None
                };
                due.push(ServiceDue {
                    schedule_id: s.id,
                    title: s.title.clone(),
                    equipment_id: item,
                    next_due: next,
                    open_ticket,
                });
            }
        }
        due.sort_by_key(|d| (d.next_due, d.equipment_id, d.schedule_id));
        Ok(due)
    }

    async fn sweep(&self, actor: &Actor) -> Result<Job, ServiceError> {
        actor.require_admin()?;
        sweeps::enqueue(&self.ctx, JobKind::MaintenanceSweep)
            .await?
            .ok_or_else(|| DomainError::SweepPending.into())
    }
}

/// After a schedule changed (and committed): a sweep now, so a near due date opens its ticket
/// without waiting for the next round. Failing to queue it does not undo the change the caller
/// is told of — the periodic sweep catches up.
async fn sweep_soon(ctx: &Context) {
    if let Err(e) = sweeps::enqueue(ctx, JobKind::MaintenanceSweep).await {
        tracing::debug!(error = %e, "could not queue a maintenance sweep after a schedule change");
    }
}

/// Runs one sweep as a job: what it did is the job's result.
pub(crate) async fn run(ctx: &Arc<Context>) -> Result<String, ServiceError> {
    Ok(json!({ "opened": sweep(ctx).await? }).to_string())
}

/// Files the tickets whose time has come; returns how many.
pub(crate) async fn sweep(ctx: &Arc<Context>) -> Result<u32, ServiceError> {
    let today = ctx.clock.now().date();
    let tickets = Tickets::new(ctx.clone());
    let mut opened = 0;
    for s in plans::all(ctx.db.reader(), true).await? {
        let Some(due) = s.due_to_open(today) else {
            continue;
        };
        for item in plans::items_of(ctx.db.reader(), &s).await? {
            if plans::has_open(ctx.db.reader(), s.id, item).await? {
                continue;
            }
            opened += u32::from(open_one(ctx, &tickets, &s, item, due).await?);
        }
    }
    Ok(opened)
}

/// Files the ticket of one item's due date, unless another sweep claimed the date first.
async fn open_one(
    ctx: &Context,
    tickets: &Tickets,
    s: &Schedule,
    item: fixdesk_domain::EquipmentId,
    due: NaiveDate,
) -> Result<bool, ServiceError> {
    let now = ctx.clock.now();
    let uow = ctx.db.begin_write().await?;
    let Some(occurrence) = plans::claim(uow.conn(), s.id, item, due, now).await? else {
        return Ok(false);
    };
    let (Some(e), Some(creator)) = (
        equipment::find(uow.conn(), item).await?,
        users::find(uow.conn(), s.created_by).await?,
    ) else {
        return Ok(false);
    };
    let by = Filer {
        id: creator.id,
        name: fixdesk_domain::user::display_name(creator.full_name.as_deref(), &creator.username),
        planned: true,
    };
    let new = s.ticket_for(&e, due)?;
    let ticket = tickets
        .file(uow.conn(), by, new, &ClientInfo::default(), now)
        .await?;
    plans::set_ticket(uow.conn(), occurrence, ticket.id).await?;
    uow.commit().await?;
    Ok(true)
}
