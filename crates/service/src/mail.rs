//! Mail delivered to the desk, for admins: delivering a message handed over by the mail host
//! (the same gateway as `fixdesk-migrate mailgate`), and looking at what became of each.

use std::sync::Arc;

use fixdesk_domain::{
    Actor, DomainError, Page,
    mail::{InboundMail, MailOutcome},
};
use fixdesk_repository::mail;
use fixdesk_usecases::{MailUseCases, ServiceError, async_trait};

use crate::context::Context;

#[derive(Debug, Clone)]
pub struct Mail {
    ctx: Arc<Context>,
}

impl Mail {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

#[async_trait]
impl MailUseCases for Mail {
    async fn deliver(&self, actor: &Actor, raw: &[u8]) -> Result<MailOutcome, ServiceError> {
        actor.require_admin()?;
        crate::mailgate::deliver(&self.ctx, raw).await
    }

    async fn list(
        &self,
        actor: &Actor,
        outcome: Option<String>,
        page: Page,
    ) -> Result<Vec<InboundMail>, ServiceError> {
        actor.require_admin()?;
        Ok(mail::list(self.ctx.db.reader(), outcome.as_deref(), page).await?)
    }

    async fn raw(&self, actor: &Actor, id: i64) -> Result<Vec<u8>, ServiceError> {
        actor.require_admin()?;
        mail::raw(self.ctx.db.reader(), id)
            .await?
            .ok_or_else(|| DomainError::MailNotFound.into())
    }
}
