use async_trait::async_trait;
use chrono::NaiveDate;
use fixdesk_domain::{
    Actor, ClientInfo, EquipmentId, Job, TicketId,
    preventive::{Schedule, ScheduleDraft, ScheduleId},
};

use crate::ServiceError;

/// One item's place in a schedule: when it is next due and the ticket open for it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDue {
    pub schedule_id: ScheduleId,
    pub title: String,
    pub equipment_id: EquipmentId,
    pub next_due: NaiveDate,
    /// The maintenance ticket open for the item under this schedule.
    pub open_ticket: Option<TicketId>,
}

/// Preventive maintenance: admins keep the schedules; staff see what is due; the durable job
/// queue opens the tickets.
#[async_trait]
pub trait PreventiveUseCases: Send + Sync {
    /// Every schedule (staff).
    async fn schedules(&self, actor: &Actor) -> Result<Vec<Schedule>, ServiceError>;
    async fn create(
        &self,
        actor: &Actor,
        draft: ScheduleDraft,
        client: &ClientInfo,
    ) -> Result<Schedule, ServiceError>;
    async fn update(
        &self,
        actor: &Actor,
        id: ScheduleId,
        draft: ScheduleDraft,
        client: &ClientInfo,
    ) -> Result<Schedule, ServiceError>;
    async fn delete(
        &self,
        actor: &Actor,
        id: ScheduleId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// Items due for service within `days` from today (staff), soonest first; overdue ones too.
    async fn due(&self, actor: &Actor, days: u32) -> Result<Vec<ServiceDue>, ServiceError>;
    /// Queues a sweep now (admin); it also runs every few minutes by itself.
    async fn sweep(&self, actor: &Actor) -> Result<Job, ServiceError>;
}
