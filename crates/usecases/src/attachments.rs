use async_trait::async_trait;
use fixdesk_domain::{Actor, Attachment, ClientInfo, TicketId};
use futures::stream::BoxStream;

use crate::ServiceError;

/// A file's bytes as they are read or written, chunk by chunk.
pub type ByteStream = BoxStream<'static, std::io::Result<Vec<u8>>>;

/// A file received and checked (name, size, content) but not yet on a ticket: a form that
/// files a ticket with photos checks every file before the ticket exists, so a bad file
/// refuses the whole form and leaves nothing behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// Where the file is in the store.
    pub key: String,
    pub stored_filename: String,
    /// The name to show (the uploader's, made safe).
    pub filename: String,
    pub content_type: String,
    pub size: u64,
}

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
    /// Receives and checks a file as [`AttachmentUseCases::upload`] does, without a ticket yet.
    async fn stage(
        &self,
        actor: &Actor,
        filename: &str,
        body: ByteStream,
    ) -> Result<StagedFile, ServiceError>;
    /// Puts a staged file on a ticket the actor may attach to (the file is removed if not).
    async fn attach(
        &self,
        actor: &Actor,
        ticket: TicketId,
        file: StagedFile,
        client: &ClientInfo,
    ) -> Result<Attachment, ServiceError>;
    /// Removes staged files that will not be attached (their form was refused).
    async fn discard(&self, files: Vec<StagedFile>);
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
