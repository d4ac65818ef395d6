use async_trait::async_trait;
use fixdesk_domain::{
    Actor, ClientInfo, TicketId,
    canned::{CannedDraft, CannedReply},
};

use crate::ServiceError;

/// Canned replies (staff): the desk's shared ones, kept by admins, and each person's own.
#[async_trait]
pub trait CannedReplyUseCases: Send + Sync {
    /// The shared replies and the actor's own; with a ticket, each also filled in for it.
    async fn list(
        &self,
        actor: &Actor,
        ticket: Option<TicketId>,
    ) -> Result<Vec<(CannedReply, Option<String>)>, ServiceError>;
    async fn create(
        &self,
        actor: &Actor,
        draft: CannedDraft,
        client: &ClientInfo,
    ) -> Result<CannedReply, ServiceError>;
    async fn update(
        &self,
        actor: &Actor,
        id: i64,
        draft: CannedDraft,
        client: &ClientInfo,
    ) -> Result<CannedReply, ServiceError>;
    async fn delete(&self, actor: &Actor, id: i64, client: &ClientInfo)
    -> Result<(), ServiceError>;
}
