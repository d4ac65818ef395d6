use async_trait::async_trait;
use fixdesk_domain::{
    Actor, ClientInfo, Ticket, UserId,
    assignment::{Absence, AssignmentRule, NewAbsence, RuleDraft, RuleId},
};

use crate::ServiceError;

/// Fair assignment: admins keep the rules; agents (or an admin for them) record when they are
/// away; staff take the next ticket due.
#[async_trait]
pub trait AssignmentUseCases: Send + Sync {
    /// Rules in id order (staff).
    async fn rules(&self, actor: &Actor) -> Result<Vec<AssignmentRule>, ServiceError>;
    async fn create_rule(
        &self,
        actor: &Actor,
        draft: RuleDraft,
        client: &ClientInfo,
    ) -> Result<AssignmentRule, ServiceError>;
    async fn update_rule(
        &self,
        actor: &Actor,
        id: RuleId,
        draft: RuleDraft,
        client: &ClientInfo,
    ) -> Result<AssignmentRule, ServiceError>;
    async fn delete_rule(
        &self,
        actor: &Actor,
        id: RuleId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// A staff member's absences that have not ended (themself, or any as admin).
    async fn absences(&self, actor: &Actor, user: UserId) -> Result<Vec<Absence>, ServiceError>;
    async fn add_absence(
        &self,
        actor: &Actor,
        user: UserId,
        new: NewAbsence,
        client: &ClientInfo,
    ) -> Result<Absence, ServiceError>;
    async fn remove_absence(
        &self,
        actor: &Actor,
        user: UserId,
        id: i64,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// Takes the next ticket of the queue (new, nobody holds it; the soonest due first, then
    /// the oldest) for the actor, atomically: two agents asking at once get two tickets.
    async fn next_ticket(&self, actor: &Actor, client: &ClientInfo)
    -> Result<Ticket, ServiceError>;
}
