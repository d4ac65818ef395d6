use async_trait::async_trait;

use crate::{AuthUseCases, UserUseCases};

/// The whole of fixdesk as a transport sees it: one handle per area.
#[async_trait]
pub trait Helpdesk: Send + Sync {
    fn auth(&self) -> &dyn AuthUseCases;
    fn users(&self) -> &dyn UserUseCases;
    /// Whether the database answers.
    async fn healthy(&self) -> bool;
}
