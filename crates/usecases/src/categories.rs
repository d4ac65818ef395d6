use async_trait::async_trait;
use fixdesk_domain::{
    Actor, Category, CategoryChanges, CategoryId, ClientInfo, NewCategory, Page, Removal,
};

use crate::ServiceError;

/// Ticket categories: everyone reads them, admins change them.
#[async_trait]
pub trait CategoryUseCases: Send + Sync {
    /// Active categories in id order; staff may include inactive ones.
    async fn list(
        &self,
        actor: &Actor,
        include_inactive: bool,
        page: Page,
    ) -> Result<Vec<Category>, ServiceError>;
    async fn get(&self, actor: &Actor, id: CategoryId) -> Result<Category, ServiceError>;
    async fn create(
        &self,
        actor: &Actor,
        new: NewCategory,
        client: &ClientInfo,
    ) -> Result<Category, ServiceError>;
    async fn update(
        &self,
        actor: &Actor,
        id: CategoryId,
        changes: CategoryChanges,
        client: &ClientInfo,
    ) -> Result<Category, ServiceError>;
    /// Deactivates a category that tickets use, deletes it otherwise; says which.
    async fn delete(
        &self,
        actor: &Actor,
        id: CategoryId,
        client: &ClientInfo,
    ) -> Result<Removal, ServiceError>;
}
