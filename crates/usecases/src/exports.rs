use async_trait::async_trait;
use fixdesk_domain::{Actor, ExportFormat, ExportLayout, Job, TicketQuery};

use crate::{ByteStream, ServiceError};

/// Ticket exports, made in the background by the job queue.
#[async_trait]
pub trait ExportUseCases: Send + Sync {
    /// Queues an export of the tickets the actor may see that match `query` (its page is
    /// ignored: the export has them all), written as `layout` says.
    async fn export_tickets(
        &self,
        actor: &Actor,
        query: TicketQuery,
        layout: ExportLayout,
    ) -> Result<Job, ServiceError>;
    /// The export's job (its requester's or, for admins, any).
    async fn get(&self, actor: &Actor, id: i64) -> Result<Job, ServiceError>;
    /// The file of a finished export, and its format.
    async fn download(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(ExportFormat, ByteStream), ServiceError>;
}
