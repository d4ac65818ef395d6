//! Canned replies: staff read the shared ones and their own, filled in for a ticket; admins
//! keep the shared ones, everyone their own.

use std::sync::Arc;

use fixdesk_domain::{
    Actor, AuditAction, AuditEntity, ClientInfo, DomainError, NewAuditEntry, Role, TicketId,
    canned::{CannedDraft, CannedReply, Filling},
    ticket::visibility,
};
use fixdesk_repository::{RepoError, canned, equipment};
use fixdesk_usecases::{CannedReplyUseCases, ServiceError, async_trait};
use serde_json::json;

use crate::{context::Context, tickets::load, trail};

#[derive(Debug, Clone)]
pub struct CannedReplies {
    ctx: Arc<Context>,
}

impl CannedReplies {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// A shared reply is the admins'; a personal one its owner's.
    fn ensure_may_keep(
        actor: &Actor,
        reply_owner: Option<fixdesk_domain::UserId>,
    ) -> Result<(), ServiceError> {
        match reply_owner {
            None if actor.role == Role::Admin => Ok(()),
            None => Err(DomainError::SharedRepliesAdminOnly.into()),
            Some(owner) if owner == actor.id => Ok(()),
            Some(_) => Err(DomainError::CannedReplyNotFound.into()),
        }
    }

    fn owner(actor: &Actor, draft: &CannedDraft) -> Option<fixdesk_domain::UserId> {
        (!draft.shared).then_some(actor.id)
    }
}

fn entry(
    actor: &Actor,
    action: AuditAction,
    r: &CannedReply,
    client: &ClientInfo,
) -> NewAuditEntry {
    let values = json!({"title": r.title, "body": r.body, "owner_id": r.owner_id.map(|u| u.0)});
    let (old, new) = match action {
        AuditAction::Delete => (Some(values), None),
        _ => (None, Some(values)),
    };
    let d = format!("Шаблон ответа «{}»", r.title);
    trail::entry(
        Some(actor.id),
        action,
        AuditEntity::CannedReply,
        Some(r.id),
        d,
        old,
        new,
        client,
    )
}

fn not_found(e: RepoError) -> ServiceError {
    match e {
        RepoError::NotFound => DomainError::CannedReplyNotFound.into(),
        other => other.into(),
    }
}

#[async_trait]
impl CannedReplyUseCases for CannedReplies {
    async fn list(
        &self,
        actor: &Actor,
        ticket: Option<TicketId>,
    ) -> Result<Vec<(CannedReply, Option<String>)>, ServiceError> {
        actor.require_staff()?;
        let conn = self.ctx.db.reader();
        let replies = canned::available_to(conn, actor.id).await?;
        let filling = match ticket {
            Some(id) => {
                let t = load(conn, id).await?;
                visibility(actor, &t)?;
                let equipment = match t.equipment_id {
                    Some(e) => equipment::find(conn, e).await?.map(|e| e.name),
                    None => None,
                };
                Some(Filling {
                    requester: t.creator_name.clone().unwrap_or_default(),
                    ticket: t.id.to_string(),
                    title: t.title.clone(),
                    equipment: equipment.unwrap_or_default(),
                    agent: actor.display_name(),
                })
            }
            None => None,
        };
        Ok(replies
            .into_iter()
            .map(|r| {
                let filled = filling.as_ref().map(|f| r.render(f));
                (r, filled)
            })
            .collect())
    }

    async fn create(
        &self,
        actor: &Actor,
        draft: CannedDraft,
        client: &ClientInfo,
    ) -> Result<CannedReply, ServiceError> {
        actor.require_staff()?;
        let owner = Self::owner(actor, &draft);
        Self::ensure_may_keep(actor, owner)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let r = canned::insert(uow.conn(), owner, draft, now).await?;
        trail::commit(uow, entry(actor, AuditAction::Create, &r, client), now).await?;
        Ok(r)
    }

    async fn update(
        &self,
        actor: &Actor,
        id: i64,
        draft: CannedDraft,
        client: &ClientInfo,
    ) -> Result<CannedReply, ServiceError> {
        actor.require_staff()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = canned::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::CannedReplyNotFound)?;
        Self::ensure_may_keep(actor, before.owner_id)?;
        let owner = Self::owner(actor, &draft);
        Self::ensure_may_keep(actor, owner)?;
        let r = canned::update(uow.conn(), id, owner, draft)
            .await
            .map_err(not_found)?;
        trail::commit(uow, entry(actor, AuditAction::Update, &r, client), now).await?;
        Ok(r)
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: i64,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        actor.require_staff()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let r = canned::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::CannedReplyNotFound)?;
        Self::ensure_may_keep(actor, r.owner_id)?;
        canned::delete(uow.conn(), id).await.map_err(not_found)?;
        trail::commit(uow, entry(actor, AuditAction::Delete, &r, client), now).await
    }
}
