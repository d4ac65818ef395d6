use async_trait::async_trait;
use fixdesk_domain::{Actor, Attachment, ClientInfo, TicketId};
use futures::stream::BoxStream;

use crate::ServiceError;

/// A file's bytes as they are read or written, chunk by chunk.
pub type ByteStream = BoxStream<'static, std::io::Result<Vec<u8>>>;

/// Files attached to tickets, under the ticket's visibility rules.
#[async_trait]
pub trait AttachmentUseCases: Send + Sync {
    /// Streams `body` into storage (never held whole in memory). Refused, leaving nothing
    /// behind, when the name's extension is not allowed, the content does not match it, or the
    /// file is larger than the limit.
    async fn upload(
        &self,
        actor: &Actor,
        ticket: TicketId,
        filename: &str,
        description: Option<String>,
        body: ByteStream,
        client: &ClientInfo,
    ) -> Result<Attachment, ServiceError>;
    async fn list(&self, actor: &Actor, ticket: TicketId) -> Result<Vec<Attachment>, ServiceError>;
    /// The attachment and its content.
    async fn download(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(Attachment, ByteStream), ServiceError>;
    /// Sets the description (the uploader or an admin).
    async fn describe(
        &self,
        actor: &Actor,
        id: i64,
        description: Option<String>,
    ) -> Result<Attachment, ServiceError>;
    /// Removes the row and, once that has committed, the file (the uploader or an admin).
    async fn delete(&self, actor: &Actor, id: i64, client: &ClientInfo)
    -> Result<(), ServiceError>;
}
