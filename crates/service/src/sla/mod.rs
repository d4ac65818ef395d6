//! Service levels: the calendars and policies admins keep, the clocks on each ticket
//! ([`clocks`]), and the sweep that warns and escalates ([`sweep`]).

pub(crate) mod book;
pub(crate) mod clocks;
pub(crate) mod recount;
pub(crate) mod sweep;

use std::sync::Arc;

use fixdesk_domain::{
    Actor, ClientInfo, DomainError, Job,
    sla::{CalendarDraft, CalendarId, NamedCalendar, PolicyDraft, PolicyId, SlaPolicy},
};
use fixdesk_repository::{RepoError, categories, sla, users};
use fixdesk_usecases::{ServiceError, ServiceLevelUseCases, async_trait};

use crate::{context::Context, trail};

#[derive(Debug, Clone)]
pub struct ServiceLevels {
    ctx: Arc<Context>,
}

impl ServiceLevels {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// That what a policy names exists: its calendar, an active category, a staff member to
    /// escalate to.
    async fn ensure_references<C: fixdesk_db::ConnectionTrait>(
        conn: &C,
        draft: &PolicyDraft,
    ) -> Result<(), ServiceError> {
        if sla::find_calendar(conn, draft.calendar_id).await?.is_none() {
            return Err(DomainError::UnknownCalendar.into());
        }
        if let Some(c) = draft.category_id
            && categories::find(conn, c).await?.is_none()
        {
            return Err(DomainError::UnknownCategory.into());
        }
        if let Some(u) = draft.escalation.reassign_to
            && !users::find(conn, u)
                .await?
                .is_some_and(|u| u.takes_tickets())
        {
            return Err(DomainError::InvalidAssignee.into());
        }
        Ok(())
    }
}

/// A taken calendar name is the admin's mistake, not a failure.
fn name_taken(e: RepoError) -> ServiceError {
    match e {
        RepoError::Conflict { .. } => DomainError::CalendarNameTaken.into(),
        other => other.into(),
    }
}

fn not_found(e: RepoError, missing: DomainError) -> ServiceError {
    match e {
        RepoError::NotFound => missing.into(),
        other => other.into(),
    }
}

#[async_trait]
impl ServiceLevelUseCases for ServiceLevels {
    async fn calendars(&self, actor: &Actor) -> Result<Vec<NamedCalendar>, ServiceError> {
        actor.require_staff()?;
        Ok(sla::book(self.ctx.db.reader()).await?.calendars)
    }

    async fn create_calendar(
        &self,
        actor: &Actor,
        draft: CalendarDraft,
        client: &ClientInfo,
    ) -> Result<NamedCalendar, ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let c = sla::insert_calendar(uow.conn(), draft, now)
            .await
            .map_err(name_taken)?;
        trail::commit(
            uow,
            trail::calendar_changed(actor.id, None, Some(&c), client),
            now,
        )
        .await?;
        self.ctx.sla_book.forget();
        Ok(c)
    }

    async fn update_calendar(
        &self,
        actor: &Actor,
        id: CalendarId,
        draft: CalendarDraft,
        client: &ClientInfo,
    ) -> Result<NamedCalendar, ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = sla::find_calendar(uow.conn(), id)
            .await?
            .ok_or(DomainError::CalendarNotFound)?;
        let after = sla::update_calendar(uow.conn(), id, draft)
            .await
            .map_err(name_taken)?;
        let entry = trail::calendar_changed(actor.id, Some(&before), Some(&after), client);
        recount::enqueue(uow.conn()).await?;
        trail::commit(uow, entry, now).await?;
        self.ctx.sla_book.forget();
        Ok(after)
    }

    async fn delete_calendar(
        &self,
        actor: &Actor,
        id: CalendarId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = sla::find_calendar(uow.conn(), id)
            .await?
            .ok_or(DomainError::CalendarNotFound)?;
        if sla::policies_on(uow.conn(), id).await? > 0 {
            return Err(DomainError::CalendarInUse.into());
        }
        sla::delete_calendar(uow.conn(), id)
            .await
            .map_err(|e| not_found(e, DomainError::CalendarNotFound))?;
        trail::commit(
            uow,
            trail::calendar_changed(actor.id, Some(&before), None, client),
            now,
        )
        .await?;
        self.ctx.sla_book.forget();
        Ok(())
    }

    async fn policies(&self, actor: &Actor) -> Result<Vec<SlaPolicy>, ServiceError> {
        actor.require_staff()?;
        Ok(sla::book(self.ctx.db.reader()).await?.policies)
    }

    async fn create_policy(
        &self,
        actor: &Actor,
        draft: PolicyDraft,
        client: &ClientInfo,
    ) -> Result<SlaPolicy, ServiceError> {
        actor.require_admin()?;
        let draft = draft.checked()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        Self::ensure_references(uow.conn(), &draft).await?;
        let p = sla::insert_policy(uow.conn(), draft, now).await?;
        recount::enqueue(uow.conn()).await?;
        trail::commit(
            uow,
            trail::policy_changed(actor.id, None, Some(&p), client),
            now,
        )
        .await?;
        self.ctx.sla_book.forget();
        Ok(p)
    }

    async fn update_policy(
        &self,
        actor: &Actor,
        id: PolicyId,
        draft: PolicyDraft,
        client: &ClientInfo,
    ) -> Result<SlaPolicy, ServiceError> {
        actor.require_admin()?;
        let draft = draft.checked()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = sla::find_policy(uow.conn(), id)
            .await?
            .ok_or(DomainError::PolicyNotFound)?;
        Self::ensure_references(uow.conn(), &draft).await?;
        let after = sla::update_policy(uow.conn(), id, draft).await?;
        let entry = trail::policy_changed(actor.id, Some(&before), Some(&after), client);
        recount::enqueue(uow.conn()).await?;
        trail::commit(uow, entry, now).await?;
        self.ctx.sla_book.forget();
        Ok(after)
    }

    async fn delete_policy(
        &self,
        actor: &Actor,
        id: PolicyId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = sla::find_policy(uow.conn(), id)
            .await?
            .ok_or(DomainError::PolicyNotFound)?;
        sla::delete_policy(uow.conn(), id)
            .await
            .map_err(|e| not_found(e, DomainError::PolicyNotFound))?;
        recount::enqueue(uow.conn()).await?;
        trail::commit(
            uow,
            trail::policy_changed(actor.id, Some(&before), None, client),
            now,
        )
        .await?;
        self.ctx.sla_book.forget();
        Ok(())
    }

    async fn check_now(&self, actor: &Actor) -> Result<Job, ServiceError> {
        actor.require_admin()?;
        match crate::jobs::sweeps::enqueue(&self.ctx, fixdesk_domain::JobKind::SlaSweep).await? {
            Some(job) => Ok(job),
            None => Err(DomainError::SweepPending.into()),
        }
    }
}
