//! Ticket categories.

use std::sync::Arc;

use fixdesk_domain::{
    Actor, Category, CategoryChanges, CategoryId, ClientInfo, DomainError, NewCategory, Page,
    Removal,
};
use fixdesk_repository::{audit, categories, equipment, tickets};
use fixdesk_usecases::{CategoryUseCases, ServiceError, async_trait};

use crate::{context::Context, trail};

#[derive(Debug, Clone)]
pub struct Categories {
    ctx: Arc<Context>,
}

impl Categories {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

#[async_trait]
impl CategoryUseCases for Categories {
    /// Any signed-in role may see inactive categories when it asks, as the contract says
    /// (the old frontend asks for active ones when filing a ticket).
    async fn list(
        &self,
        _actor: &Actor,
        include_inactive: bool,
        page: Page,
    ) -> Result<Vec<Category>, ServiceError> {
        Ok(categories::list(self.ctx.db.reader(), include_inactive, page).await?)
    }

    async fn get(&self, _actor: &Actor, id: CategoryId) -> Result<Category, ServiceError> {
        categories::find(self.ctx.db.reader(), id)
            .await?
            .ok_or_else(|| DomainError::CategoryNotFound.into())
    }

    async fn create(
        &self,
        actor: &Actor,
        new: NewCategory,
        client: &ClientInfo,
    ) -> Result<Category, ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        if categories::name_taken(uow.conn(), new.name.as_str(), None).await? {
            return Err(DomainError::CategoryNameTaken.into());
        }
        let c = categories::insert(
            uow.conn(),
            new.name.into_inner(),
            new.description,
            new.is_active,
            now,
        )
        .await?;
        // Items whose type names the new category (imported ones, say) now belong to it.
        equipment::link_categories(uow.conn()).await?;
        trail::commit(uow, trail::category_created(actor.id, &c, client), now).await?;
        Ok(c)
    }

    async fn update(
        &self,
        actor: &Actor,
        id: CategoryId,
        changes: CategoryChanges,
        client: &ClientInfo,
    ) -> Result<Category, ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = categories::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::CategoryNotFound)?;
        if let Some(name) = &changes.name
            && name.as_str() != before.name
            && categories::name_taken(uow.conn(), name.as_str(), Some(id)).await?
        {
            return Err(DomainError::CategoryNameTaken.into());
        }
        let name = changes.name.map(|n| n.into_inner());
        let after = categories::update(
            uow.conn(),
            id,
            name,
            changes.description,
            changes.is_active,
            now,
        )
        .await?;
        if after.name != before.name {
            equipment::rename_category(uow.conn(), id, &after.name).await?;
        }
        trail::commit(
            uow,
            trail::category_updated(actor.id, &before, &after, client),
            now,
        )
        .await?;
        Ok(after)
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: CategoryId,
        client: &ClientInfo,
    ) -> Result<Removal, ServiceError> {
        actor.require_admin()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let c = categories::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::CategoryNotFound)?;
        let used = tickets::in_category(uow.conn(), id).await?;
        if used > 0 {
            let after = categories::update(uow.conn(), id, None, None, Some(false), now).await?;
            audit::append(
                uow.conn(),
                trail::category_updated(actor.id, &c, &after, client),
                now,
            )
            .await?;
        } else {
            equipment::unlink_category(uow.conn(), id).await?;
            categories::delete(uow.conn(), id).await?;
            audit::append(
                uow.conn(),
                trail::category_deleted(actor.id, &c, client),
                now,
            )
            .await?;
        }
        uow.commit().await?;
        Ok(if used > 0 {
            Removal::KeptForTickets(used)
        } else {
            Removal::Deleted
        })
    }
}
