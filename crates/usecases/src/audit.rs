use async_trait::async_trait;
use fixdesk_domain::{Actor, AuditFilter, AuditRecord, ClientInfo, Page};
use futures::stream::BoxStream;

use crate::ServiceError;

/// A page of audit records and how many match in all.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub items: Vec<AuditRecord>,
    pub total: u64,
}

/// Reading the audit log (admins), and recording refused requests.
#[async_trait]
pub trait AuditUseCases: Send + Sync {
    /// Matching records, newest first.
    async fn list(
        &self,
        actor: &Actor,
        filter: AuditFilter,
        page: Page,
    ) -> Result<AuditPage, ServiceError>;
    async fn get(&self, actor: &Actor, id: i64) -> Result<AuditRecord, ServiceError>;
    /// The matching records as CSV (a header, then oldest first), a page at a time, so a log
    /// of any length downloads without being held in memory (admins).
    async fn export_csv(
        &self,
        actor: &Actor,
        filter: AuditFilter,
    ) -> Result<BoxStream<'static, Result<Vec<u8>, ServiceError>>, ServiceError>;
    /// Every action type the log uses.
    async fn action_types(&self, actor: &Actor) -> Result<Vec<String>, ServiceError>;
    /// New audit records as they are written (admins). The caller applies its own filter.
    async fn live(&self, actor: &Actor) -> Result<BoxStream<'static, AuditRecord>, ServiceError>;
    /// Notes that `actor` was refused `method path`.
    async fn record_denial(
        &self,
        actor: &Actor,
        method: &str,
        path: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
}
