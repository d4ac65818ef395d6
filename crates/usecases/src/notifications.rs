use async_trait::async_trait;
use fixdesk_domain::{
    Actor, MailChoices, MailSettings, Notification, NotificationSettings, Page, TicketId,
};
use futures::stream::BoxStream;

use crate::ServiceError;

/// A user's own notifications. Someone else's notification is "not found".
#[async_trait]
pub trait NotificationUseCases: Send + Sync {
    /// Newest first.
    async fn list(
        &self,
        actor: &Actor,
        unread_only: bool,
        page: Page,
    ) -> Result<Vec<Notification>, ServiceError>;
    async fn unread_count(&self, actor: &Actor) -> Result<u64, ServiceError>;
    async fn mark_read(&self, actor: &Actor, id: i64) -> Result<(), ServiceError>;
    /// Marks the actor's notifications about a ticket read (they opened it, so they have seen
    /// the news); returns how many were unread. Writes nothing when none were.
    async fn mark_read_about(&self, actor: &Actor, ticket: TicketId) -> Result<u64, ServiceError>;
    /// Returns how many were unread.
    async fn mark_all_read(&self, actor: &Actor) -> Result<u64, ServiceError>;
    async fn delete(&self, actor: &Actor, id: i64) -> Result<(), ServiceError>;
    async fn settings(&self, actor: &Actor) -> Result<NotificationSettings, ServiceError>;
    /// Stores the given choices and returns the resulting settings.
    async fn save_settings(
        &self,
        actor: &Actor,
        choices: NotificationSettings,
    ) -> Result<NotificationSettings, ServiceError>;
    /// Whether the desk sends mail, to which address, whether it bounced, and the actor's
    /// choice per kind.
    async fn mail_settings(&self, actor: &Actor) -> Result<MailSettings, ServiceError>;
    /// Stores the given mail choices (the others stay) and returns the result.
    async fn save_mail_choices(
        &self,
        actor: &Actor,
        choices: MailChoices,
    ) -> Result<MailSettings, ServiceError>;
    /// Sends the actor a system notification (to check that delivery works).
    async fn send_test(&self, actor: &Actor) -> Result<(), ServiceError>;
    /// The actor's notifications as they arrive: first those after `last_seen` (when a client
    /// reconnects), then each new one within moments of its commit. Nothing is skipped.
    async fn live(
        &self,
        actor: &Actor,
        last_seen: Option<i64>,
    ) -> Result<BoxStream<'static, Notification>, ServiceError>;
}
