use async_trait::async_trait;
use fixdesk_domain::{
    Actor, ClientInfo, Job,
    sla::{CalendarDraft, CalendarId, NamedCalendar, PolicyDraft, PolicyId, SlaPolicy},
};

use crate::ServiceError;

/// Service levels: admins keep the business calendars and the policies; staff read a ticket's
/// clocks.
#[async_trait]
pub trait ServiceLevelUseCases: Send + Sync {
    /// Calendars in id order (staff).
    async fn calendars(&self, actor: &Actor) -> Result<Vec<NamedCalendar>, ServiceError>;
    async fn create_calendar(
        &self,
        actor: &Actor,
        draft: CalendarDraft,
        client: &ClientInfo,
    ) -> Result<NamedCalendar, ServiceError>;
    /// Replaces a calendar; the due times of open tickets on it are counted again.
    async fn update_calendar(
        &self,
        actor: &Actor,
        id: CalendarId,
        draft: CalendarDraft,
        client: &ClientInfo,
    ) -> Result<NamedCalendar, ServiceError>;
    /// Deletes a calendar no policy uses.
    async fn delete_calendar(
        &self,
        actor: &Actor,
        id: CalendarId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// Policies in id order (staff).
    async fn policies(&self, actor: &Actor) -> Result<Vec<SlaPolicy>, ServiceError>;
    async fn create_policy(
        &self,
        actor: &Actor,
        draft: PolicyDraft,
        client: &ClientInfo,
    ) -> Result<SlaPolicy, ServiceError>;
    async fn update_policy(
        &self,
        actor: &Actor,
        id: PolicyId,
        draft: PolicyDraft,
        client: &ClientInfo,
    ) -> Result<SlaPolicy, ServiceError>;
    async fn delete_policy(
        &self,
        actor: &Actor,
        id: PolicyId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// Queues a look at every clock that is due (admins; the service also does it on its own
    /// every half minute).
    async fn check_now(&self, actor: &Actor) -> Result<Job, ServiceError>;
}
