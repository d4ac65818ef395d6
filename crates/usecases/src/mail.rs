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
    /// A kept message as a person reads it: its row, main headers, text and file names.
    async fn read(&self, actor: &Actor, id: i64) -> Result<KeptMail, ServiceError>;
    /// Handles a kept message anew, the admin vouching for its sender (a staff sender without
    /// proof, after checking with them); answers the new outcome.
    async fn redeliver(&self, actor: &Actor, id: i64) -> Result<MailOutcome, ServiceError>;
    /// Drops a kept message's bytes and marks it discarded.
    async fn discard(&self, actor: &Actor, id: i64) -> Result<InboundMail, ServiceError>;
}

/// A kept message, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptMail {
    pub mail: InboundMail,
    /// `From`, `To`, `Date`, `Subject` as written (decoded).
    pub headers: Vec<(String, String)>,
    /// The text of its body (the HTML part's text when there is no plain one).
    pub text: String,
    pub attachments: Vec<String>,
}
