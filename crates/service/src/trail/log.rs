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

/// Rows an export reads at a time.
const EXPORT_PAGE: u64 = 500;

const CSV_HEADER: [&str; 11] = [
    "id",
    "created_at",
    "action_type",
    "entity_type",
    "entity_id",
    "username",
    "description",
    "ip_address",
    "user_agent",
    "old_values",
    "new_values",
];

/// One record as CSV cells; what people wrote cannot run as a spreadsheet formula.
fn csv_row(r: &AuditRecord) -> [String; CSV_HEADER.len()] {
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    let cell = crate::statistics::exports::cell;
    [
        r.id.to_string(),
        r.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        r.action_type.clone(),
        r.entity_type.clone().unwrap_or_default(),
        r.entity_id.map(|i| i.to_string()).unwrap_or_default(),
        cell(r.user.as_ref().map_or("", |u| u.username.as_str())),
        cell(&r.description),
        r.ip_address.clone().unwrap_or_default(),
        cell(r.user_agent.as_deref().unwrap_or_default()),
        cell(&json(&r.old_values)),
        cell(&json(&r.new_values)),
    ]
}

/// Rows as CSV text.
fn csv_lines(
    rows: impl Iterator<Item = [String; CSV_HEADER.len()]>,
) -> Result<Vec<u8>, ServiceError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(&row).map_err(ServiceError::internal)?;
    }
    out.into_inner().map_err(ServiceError::internal)
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

    async fn export_csv(
        &self,
        actor: &Actor,
        filter: AuditFilter,
    ) -> Result<BoxStream<'static, Result<Vec<u8>, ServiceError>>, ServiceError> {
        require_admin(actor)?;
        let ctx = self.ctx.clone();
        let header = csv_lines(std::iter::once(CSV_HEADER.map(String::from)))?;
        // `None`: the log is read to its end.
        let pages = futures::stream::try_unfold(Some(0i64), move |after| {
            let (ctx, filter) = (ctx.clone(), filter.clone());
            async move {
                let Some(after) = after else {
                    return Ok(None);
                };
                let rows =
                    audit::matching_after(ctx.db.reader(), &filter, after, EXPORT_PAGE).await?;
                let Some(last) = rows.last().map(|r| r.id) else {
                    return Ok(None);
                };
                let next = (rows.len() as u64 == EXPORT_PAGE).then_some(last);
                Ok(Some((csv_lines(rows.iter().map(csv_row))?, next)))
            }
        });
        Ok(futures::stream::once(async { Ok(header) })
            .chain(pages)
            .boxed())
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
