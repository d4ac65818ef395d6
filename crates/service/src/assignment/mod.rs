//! Fair assignment's use cases: the rules and absences behind it, and "next ticket" for staff
//! (who of a group gets a new ticket at filing is `fair_pick`).

pub(crate) mod fair_pick;

use std::sync::Arc;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, ClientInfo, DomainError, Role, Ticket, TicketStatus, UserId,
    assignment::{Absence, AssignmentRule, NewAbsence, RuleDraft, RuleId},
};
use fixdesk_repository::{RepoError, assignment as rules, categories, tickets, users};
use fixdesk_usecases::{AssignmentUseCases, ServiceError, async_trait};

use crate::{
    context::Context,
    tickets::{Tickets, load},
    trail,
};

/// Tickets looked at when taking the next one (others may take some of them meanwhile).
const NEXT_CANDIDATES: u64 = 10;

#[derive(Debug, Clone)]
pub struct Assignment {
    ctx: Arc<Context>,
}

impl Assignment {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// That the rule's category exists and each of its agents is active staff.
    async fn ensure_valid<C: ConnectionTrait>(conn: &C, d: &RuleDraft) -> Result<(), ServiceError> {
        if categories::find(conn, d.category_id).await?.is_none() {
            return Err(DomainError::UnknownCategory.into());
        }
        let staff = users::with_ids(conn, d.agents.iter().copied())
            .await?
            .into_iter()
            .filter(|u| u.takes_tickets())
            .count();
        if staff < d.agents.len() {
            return Err(DomainError::InvalidAssignee.into());
        }
        Ok(())
    }

    /// Staff record their own absences; admins anyone's.
    fn ensure_may_manage(actor: &Actor, user: UserId) -> Result<(), ServiceError> {
        actor.require_staff()?;
        if actor.role != Role::Admin && actor.id != user {
            return Err(DomainError::CannotUpdateUser.into());
        }
        Ok(())
    }
}

fn rule_error(e: RepoError) -> ServiceError {
    match e {
        RepoError::Conflict { .. } => DomainError::RuleExists.into(),
        RepoError::NotFound => DomainError::RuleNotFound.into(),
        other => other.into(),
    }
}

#[async_trait]
impl AssignmentUseCases for Assignment {
    async fn rules(&self, actor: &Actor) -> Result<Vec<AssignmentRule>, ServiceError> {
        actor.require_staff()?;
        Ok(rules::rules(self.ctx.db.reader()).await?)
    }

    async fn create_rule(
        &self,
        actor: &Actor,
        draft: RuleDraft,
        client: &ClientInfo,
    ) -> Result<AssignmentRule, ServiceError> {
        actor.require_admin()?;
        let draft = draft.checked()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        Self::ensure_valid(uow.conn(), &draft).await?;
        let rule = rules::insert_rule(uow.conn(), draft, now)
            .await
            .map_err(rule_error)?;
        trail::commit(
            uow,
            trail::rule_changed(actor.id, None, Some(&rule), client),
            now,
        )
        .await?;
        Ok(rule)
    }

    async fn update_rule(
        &self,
        actor: &Actor,
        id: RuleId,
        draft: RuleDraft,
        client: &ClientInfo,
    ) -> Result<AssignmentRule, ServiceError> {
        actor.require_admin()?;
        let draft = draft.checked()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = rules::find_rule(uow.conn(), id)
            .await?
            .ok_or(DomainError::RuleNotFound)?;
        Self::ensure_valid(uow.conn(), &draft).await?;
        let after = rules::update_rule(uow.conn(), id, draft)
            .await
            .map_err(rule_error)?;
        let entry = trail::rule_changed(actor.id, Some(&before), Some(&after), client);
        trail::commit(uow, entry, now).await?;
        Ok(after)
    }

    async fn delete_rule(
        &self,
        actor: &Actor,
        id: RuleId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = rules::find_rule(uow.conn(), id)
            .await?
            .ok_or(DomainError::RuleNotFound)?;
        rules::delete_rule(uow.conn(), id)
            .await
            .map_err(rule_error)?;
        trail::commit(
            uow,
            trail::rule_changed(actor.id, Some(&before), None, client),
            now,
        )
        .await
    }

    async fn absences(&self, actor: &Actor, user: UserId) -> Result<Vec<Absence>, ServiceError> {
        Self::ensure_may_manage(actor, user)?;
        let today = self.ctx.clock.now().date();
        Ok(rules::absences_of(self.ctx.db.reader(), user, today).await?)
    }

    async fn add_absence(
        &self,
        actor: &Actor,
        user: UserId,
        new: NewAbsence,
        client: &ClientInfo,
    ) -> Result<Absence, ServiceError> {
        Self::ensure_may_manage(actor, user)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        if !users::find(uow.conn(), user)
            .await?
            .is_some_and(|u| u.role.is_staff())
        {
            return Err(DomainError::UserNotFound.into());
        }
        let absence = rules::insert_absence(uow.conn(), user, new, now).await?;
        trail::commit(
            uow,
            trail::absence_changed(actor.id, &absence, true, client),
            now,
        )
        .await?;
        Ok(absence)
    }

    async fn remove_absence(
        &self,
        actor: &Actor,
        user: UserId,
        id: i64,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        Self::ensure_may_manage(actor, user)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let absence = rules::find_absence(uow.conn(), id)
            .await?
            .filter(|a| a.user_id == user)
            .ok_or(DomainError::AbsenceNotFound)?;
        rules::delete_absence(uow.conn(), id).await?;
        trail::commit(
            uow,
            trail::absence_changed(actor.id, &absence, false, client),
            now,
        )
        .await
    }

    async fn next_ticket(
        &self,
        actor: &Actor,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor
            .require_staff()
            .map_err(|_| DomainError::AssignStaffOnly)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        for id in tickets::queue_head(uow.conn(), NEXT_CANDIDATES).await? {
            let before = load(uow.conn(), id).await?;
            if before.status != TicketStatus::New || before.assigned_to_id.is_some() {
                continue;
            }
            // Conditional: of two agents taking the same ticket, one gets it, the other the
            // next candidate.
            if !tickets::claim(uow.conn(), id, actor.id, now).await? {
                continue;
            }
            let after = load(uow.conn(), id).await?;
            let d = format!("Заявка #{id} взята из очереди: {}", actor.username);
            Tickets::record(uow.conn(), actor, &before, &after, d, client, now).await?;
            uow.commit().await?;
            return Tickets::new(self.ctx.clone()).shown(actor, after).await;
        }
        Err(DomainError::QueueEmpty.into())
    }
}
