//! A user's own notifications.

pub(crate) mod recipients;

use std::sync::Arc;

use fixdesk_domain::{
    Actor, DomainError, MailChoices, MailSettings, NewNotification, Notification, NotificationKind,
    NotificationSettings, Page, TicketId,
};
use fixdesk_repository::{mail_out, notifications, users};
use fixdesk_usecases::{BoxStream, NotificationUseCases, ServiceError, async_trait};
use futures::StreamExt;

use crate::context::Context;

#[derive(Debug, Clone)]
pub struct Notifications {
    ctx: Arc<Context>,
}

impl Notifications {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

fn found(hit: bool) -> Result<(), ServiceError> {
    if hit {
        Ok(())
    } else {
        Err(DomainError::NotificationNotFound.into())
    }
}

#[async_trait]
impl NotificationUseCases for Notifications {
    async fn list(
        &self,
        actor: &Actor,
        unread_only: bool,
        page: Page,
    ) -> Result<Vec<Notification>, ServiceError> {
        Ok(notifications::list(self.ctx.db.reader(), actor.id, unread_only, page).await?)
    }

    async fn unread_count(&self, actor: &Actor) -> Result<u64, ServiceError> {
        Ok(notifications::unread_count(self.ctx.db.reader(), actor.id).await?)
    }

    async fn mark_read(&self, actor: &Actor, id: i64) -> Result<(), ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        let hit = notifications::mark_read(uow.conn(), actor.id, id).await?;
        uow.commit().await?;
        found(hit)
    }

    async fn mark_read_about(&self, actor: &Actor, ticket: TicketId) -> Result<u64, ServiceError> {
        // Most openings of a ticket find nothing unread: ask the reader before taking the
        // writer.
        if !notifications::unread_about(self.ctx.db.reader(), actor.id, ticket.0).await? {
            return Ok(0);
        }
        let uow = self.ctx.db.begin_write().await?;
        let n = notifications::mark_read_about(uow.conn(), actor.id, ticket.0).await?;
        uow.commit().await?;
        Ok(n)
    }

    async fn mark_all_read(&self, actor: &Actor) -> Result<u64, ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        let n = notifications::mark_all_read(uow.conn(), actor.id).await?;
        uow.commit().await?;
        Ok(n)
    }

    async fn delete(&self, actor: &Actor, id: i64) -> Result<(), ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        let hit = notifications::delete(uow.conn(), actor.id, id).await?;
        uow.commit().await?;
        found(hit)
    }

    async fn settings(&self, actor: &Actor) -> Result<NotificationSettings, ServiceError> {
        let all = notifications::settings(self.ctx.db.reader(), &[actor.id]).await?;
        Ok(all.get(&actor.id).cloned().unwrap_or_default())
    }

    async fn save_settings(
        &self,
        actor: &Actor,
        choices: NotificationSettings,
    ) -> Result<NotificationSettings, ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        notifications::save_settings(uow.conn(), actor.id, &choices.0).await?;
        let all = notifications::settings(uow.conn(), &[actor.id]).await?;
        uow.commit().await?;
        Ok(all.get(&actor.id).cloned().unwrap_or_default())
    }

    async fn mail_settings(&self, actor: &Actor) -> Result<MailSettings, ServiceError> {
        mail_settings_of(&self.ctx, self.ctx.db.reader(), actor).await
    }

    async fn save_mail_choices(
        &self,
        actor: &Actor,
        choices: MailChoices,
    ) -> Result<MailSettings, ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        mail_out::save_choices(uow.conn(), actor.id, &choices.0).await?;
        let settings = mail_settings_of(&self.ctx, uow.conn(), actor).await?;
        uow.commit().await?;
        Ok(settings)
    }

    async fn send_test(&self, actor: &Actor) -> Result<(), ServiceError> {
        let note = NewNotification {
            user_id: actor.id,
            title: "Тестовое уведомление".into(),
            message: "Уведомления работают".into(),
            kind: NotificationKind::System,
            related_id: None,
        };
        let uow = self.ctx.db.begin_write().await?;
        notifications::insert_many(uow.conn(), vec![note], self.ctx.clock.now()).await?;
        uow.commit().await?;
        Ok(())
    }

    async fn live(
        &self,
        actor: &Actor,
        last_seen: Option<i64>,
    ) -> Result<BoxStream<'static, Notification>, ServiceError> {
        let feed = self.ctx.feed.notifications_for(actor.id, last_seen).await?;
        Ok(feed.take_until(self.ctx.feed.session_ended(actor)).boxed())
    }
}

/// The actor's mail settings as `conn` sees them.
async fn mail_settings_of<C: fixdesk_db::ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    actor: &Actor,
) -> Result<MailSettings, ServiceError> {
    let address = users::find(conn, actor.id)
        .await?
        .and_then(|u| u.email)
        .unwrap_or_default();
    let bounced = match address.is_empty() {
        true => None,
        false => mail_out::bounce_of(conn, &address).await?,
    };
    let choices = mail_out::choices(conn, &[actor.id]).await?;
    Ok(MailSettings {
        enabled: ctx.mailer.is_some(),
        address,
        bounced,
        choices: choices.get(&actor.id).cloned().unwrap_or_default(),
    })
}
