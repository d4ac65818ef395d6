//! Reading the audit log, and recording refused requests.

use std::sync::Arc;

use fixdesk_domain::{
    Actor, AuditAction, AuditEntity, AuditFilter, AuditRecord, ClientInfo, DomainError, Page, Role,
};
use fixdesk_repository::audit;
use fixdesk_usecases::{AuditPage, AuditUseCases, BoxStream, ServiceError, async_trait};
use futures::StreamExt;
use serde_json::json;

use crate::{context::Context, trail};

#[derive(Debug, Clone)]
pub struct AuditLog {
    ctx: Arc<Context>,
}

impl AuditLog {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

fn require_admin(actor: &Actor) -> Result<(), DomainError> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(DomainError::AuditAdminOnly)
    }
}

#[async_trait]
impl AuditUseCases for AuditLog {
    async fn list(
        &self,
        actor: &Actor,
        filter: AuditFilter,
        page: Page,
    ) -> Result<AuditPage, ServiceError> {
        require_admin(actor)?;
        let uow = self.ctx.db.begin_read().await?;
        let items = audit::list(uow.conn(), &filter, page).await?;
        let total = audit::count(uow.conn(), &filter).await?;
        uow.rollback().await?;
        Ok(AuditPage { items, total })
    }

    async fn get(&self, actor: &Actor, id: i64) -> Result<AuditRecord, ServiceError> {
        require_admin(actor)?;
        audit::find(self.ctx.db.reader(), id)
            .await?
            .ok_or_else(|| DomainError::AuditRecordNotFound.into())
    }

    async fn action_types(&self, actor: &Actor) -> Result<Vec<String>, ServiceError> {
        require_admin(actor)?;
        let mut all: Vec<String> = AuditAction::ALL
            .iter()
            .map(|a| a.as_str().to_string())
            .collect();
        for t in audit::action_types(self.ctx.db.reader()).await? {
            if !all.contains(&t) {
                all.push(t);
            }
        }
        Ok(all)
    }

    async fn live(&self, actor: &Actor) -> Result<BoxStream<'static, AuditRecord>, ServiceError> {
        require_admin(actor)?;
        let feed = self.ctx.feed.audit().await?;
        Ok(feed.take_until(self.ctx.feed.session_ended(actor)).boxed())
    }

    async fn record_denial(
        &self,
        actor: &Actor,
        method: &str,
        path: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let now = self.ctx.clock.now();
        let target: String = path.chars().take(300).collect();
        let entry = trail::entry(
            Some(actor.id),
            AuditAction::AccessDenied,
            AuditEntity::Request,
            None,
            format!("Отказано в доступе: {method} {target}"),
            None,
            Some(json!({"method": method, "path": target})),
            client,
        );
        trail::record(&self.ctx.db, entry, now).await
    }
}
