use async_trait::async_trait;
use fixdesk_domain::{
    Actor, AgentPerformance, Job, PeriodStats, StatsPeriod, TicketSummary, UserActivity,
};

use crate::ServiceError;

/// Figures for the admin dashboard, read from counters that every ticket write keeps: each
/// answer costs the same at a thousand tickets and at a million. Admins only.
#[async_trait]
pub trait StatisticsUseCases: Send + Sync {
    async fn summary(&self, actor: &Actor) -> Result<TicketSummary, ServiceError>;
    /// Per agent (and any admin holding tickets), over tickets filed in the last `days` days.
    async fn agent_performance(
        &self,
        actor: &Actor,
        days: u32,
    ) -> Result<Vec<AgentPerformance>, ServiceError>;
    async fn by_period(
        &self,
        actor: &Actor,
        period: StatsPeriod,
    ) -> Result<PeriodStats, ServiceError>;
    /// Service-level compliance (first response and resolution met, overall, per agent and
    /// per category) and the median and 90th-percentile times, over clocks stopped in the last
    /// `days` days.
    async fn service_levels(
        &self,
        actor: &Actor,
        days: u32,
    ) -> Result<fixdesk_domain::sla::statistics::ServiceLevelStats, ServiceError>;
    /// The users who filed the most tickets.
    async fn user_activity(
        &self,
        actor: &Actor,
        top: u64,
    ) -> Result<Vec<UserActivity>, ServiceError>;
    /// Queues a recount of every counter from the tickets themselves, in the job queue (the
    /// counters are replaced in one transaction, so readers see the old or the new figures).
    async fn rebuild(&self, actor: &Actor) -> Result<Job, ServiceError>;
    /// A rebuild's job, as it runs.
    async fn rebuild_status(&self, actor: &Actor, id: i64) -> Result<Job, ServiceError>;
}
