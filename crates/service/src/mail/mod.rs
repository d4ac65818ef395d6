//! Mail, in and out. In: the gateway turning one delivered message into a ticket or a message
//! (`gateway`), with the proof a staff sender must bring (`proof`). Out: the SMTP transport
//! (`mailer`), the sweep turning notifications into mails (`sweep`) and the job sending one
//! (`send`). This module's [`Mail`] is the admins' side of mail in.

pub(crate) mod gateway;
pub(crate) mod mailer;
pub(crate) mod proof;
pub(crate) mod send;
pub(crate) mod sweep;

pub use gateway::MAX_MESSAGE_BYTES;
pub use mailer::{MailConfig, MailConfigError};

use std::sync::Arc;

use fixdesk_domain::{
    Actor, AuditAction, AuditEntity, ClientInfo, DomainError, Page,
    mail::{InboundMail, MailOutcome, header_text},
};
use fixdesk_repository::mail;
use fixdesk_usecases::{KeptMail, MailUseCases, ServiceError, async_trait};
use mail_parser::{MessageParser, MimeHeaders};
use serde_json::json;

use crate::{context::Context, trail};

#[derive(Debug, Clone)]
pub struct Mail {
    ctx: Arc<Context>,
}

impl Mail {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    async fn kept(&self, id: i64) -> Result<(InboundMail, Vec<u8>), ServiceError> {
        mail::kept(self.ctx.db.reader(), id)
            .await?
            .ok_or_else(|| DomainError::MailNotFound.into())
    }
}

#[async_trait]
impl MailUseCases for Mail {
    async fn deliver(&self, actor: &Actor, raw: &[u8]) -> Result<MailOutcome, ServiceError> {
        actor.require_admin()?;
        gateway::deliver(&self.ctx, raw).await
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

    async fn read(&self, actor: &Actor, id: i64) -> Result<KeptMail, ServiceError> {
        actor.require_admin()?;
        let (row, raw) = self.kept(id).await?;
        let parsed = MessageParser::default().parse(&raw);
        let Some(message) = parsed else {
            return Ok(KeptMail {
                mail: row,
                headers: Vec::new(),
                text: String::from_utf8_lossy(&raw).chars().take(20_000).collect(),
                attachments: Vec::new(),
            });
        };
        let mut headers = Vec::new();
        for (name, value) in [
            ("From", message.header_raw("From")),
            ("To", message.header_raw("To")),
            ("Date", message.header_raw("Date")),
            ("Subject", message.subject()),
        ] {
            if let Some(v) = value {
                headers.push((name.to_owned(), header_text(v, 1000)));
            }
        }
        Ok(KeptMail {
            mail: row,
            headers,
            text: fixdesk_domain::mail::body_text(&message.body_text(0).unwrap_or_default())
                .chars()
                .take(20_000)
                .collect(),
            attachments: message
                .attachments()
                .map(|p| header_text(p.attachment_name().unwrap_or("attachment"), 200))
                .collect(),
        })
    }

    async fn redeliver(&self, actor: &Actor, id: i64) -> Result<MailOutcome, ServiceError> {
        actor.require_admin()?;
        let outcome = gateway::redeliver(&self.ctx, id).await?;
        let entry = mail_entry(
            actor,
            id,
            format!("Письмо #{id} доставлено повторно: {outcome}"),
        );
        trail::record(&self.ctx.db, entry, self.ctx.clock.now()).await?;
        Ok(outcome)
    }

    async fn discard(&self, actor: &Actor, id: i64) -> Result<InboundMail, ServiceError> {
        actor.require_admin()?;
        let (mut row, _) = self.kept(id).await?;
        let now = self.ctx.clock.now();
        let outcome = MailOutcome::Discarded(format!("by {}", actor.username));
        let uow = self.ctx.db.begin_write().await?;
        mail::finish(
            uow.conn(),
            id,
            &outcome,
            outcome.reason().map(str::to_owned),
            None,
        )
        .await?;
        let entry = mail_entry(actor, id, format!("Письмо #{id} удалено без доставки"));
        trail::commit(uow, entry, now).await?;
        row.outcome = outcome.as_str().into();
        row.detail = outcome.reason().map(str::to_owned);
        row.kept = false;
        Ok(row)
    }
}

fn mail_entry(actor: &Actor, id: i64, description: String) -> fixdesk_domain::NewAuditEntry {
    trail::entry(
        Some(actor.id),
        AuditAction::Update,
        AuditEntity::InboundMail,
        Some(id),
        description,
        None,
        Some(json!({ "mail": id })),
        &ClientInfo::default(),
    )
}
