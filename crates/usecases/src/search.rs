use async_trait::async_trait;
use fixdesk_domain::{Actor, Job, SearchHit, SearchQuery};

use crate::ServiceError;

/// Full-text search across tickets (title, description, room, messages; internal notes for
/// staff) and equipment, ranked, one hit per ticket or item.
#[async_trait]
pub trait SearchUseCases: Send + Sync {
    /// One page of what the actor may see that matches, best first.
    async fn search(
        &self,
        actor: &Actor,
        query: SearchQuery,
    ) -> Result<Vec<SearchHit>, ServiceError>;
    /// Queues a rebuild of the index from the tables (admins).
    async fn rebuild(&self, actor: &Actor) -> Result<Job, ServiceError>;
}
