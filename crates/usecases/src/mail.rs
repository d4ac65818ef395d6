use async_trait::async_trait;
use fixdesk_domain::{
    Actor, Page,
    mail::{InboundMail, MailOutcome},
};

use crate::ServiceError;

/// Mail delivered to the desk (admins): a message handed over by the mail host, what became
/// of each, and the kept ones whole.
#[async_trait]
pub trait MailUseCases: Send + Sync {
    /// Delivers one raw RFC 5322 message, as `fixdesk-migrate mailgate` does.
    async fn deliver(&self, actor: &Actor, raw: &[u8]) -> Result<MailOutcome, ServiceError>;
    /// The newest delivered messages, optionally with one outcome.
    async fn list(
        &self,
        actor: &Actor,
        outcome: Option<String>,
        page: Page,
    ) -> Result<Vec<InboundMail>, ServiceError>;
    /// A kept message's bytes.
    async fn raw(&self, actor: &Actor, id: i64) -> Result<Vec<u8>, ServiceError>;
}
