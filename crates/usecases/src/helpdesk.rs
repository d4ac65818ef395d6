use async_trait::async_trait;

use fixdesk_domain::NotReady;

use crate::{
    AssignmentUseCases, AttachmentUseCases, AuditUseCases, AuthUseCases, BackupUseCases,
    CannedReplyUseCases, CategoryUseCases, EquipmentUseCases, ExportUseCases, Gauge, MailUseCases,
    NotificationUseCases, PreventiveUseCases, RateBudget, SearchUseCases, ServiceLevelUseCases,
    StatisticsUseCases, TicketUseCases, UserUseCases,
};

/// The whole of fixdesk as a transport sees it: one handle per area.
#[async_trait]
pub trait Helpdesk: Send + Sync {
    fn auth(&self) -> &dyn AuthUseCases;
    fn users(&self) -> &dyn UserUseCases;
    fn tickets(&self) -> &dyn TicketUseCases;
    fn categories(&self) -> &dyn CategoryUseCases;
    fn equipment(&self) -> &dyn EquipmentUseCases;
    fn statistics(&self) -> &dyn StatisticsUseCases;
    fn audit(&self) -> &dyn AuditUseCases;
    fn notifications(&self) -> &dyn NotificationUseCases;
    fn attachments(&self) -> &dyn AttachmentUseCases;
    fn exports(&self) -> &dyn ExportUseCases;
    fn service_levels(&self) -> &dyn ServiceLevelUseCases;
    fn assignment(&self) -> &dyn AssignmentUseCases;
    fn canned_replies(&self) -> &dyn CannedReplyUseCases;
    fn preventive(&self) -> &dyn PreventiveUseCases;
    fn search(&self) -> &dyn SearchUseCases;
    fn mail(&self) -> &dyn MailUseCases;
    fn backups(&self) -> &dyn BackupUseCases;
    /// The rate budget shared with other instances, where the deployment shares one
    /// (PostgreSQL); `None`: limits are this process's own.
    fn rate_budget(&self) -> Option<&dyn RateBudget>;
    /// Whether the database answers.
    async fn healthy(&self) -> bool;
    /// Whether this instance should take traffic: the storage takes a write that will
    /// survive a restart and no migration is pending.
    async fn readiness(&self) -> Result<(), NotReady>;
    /// Gauges for monitoring.
    async fn gauges(&self) -> Vec<Gauge>;
}
