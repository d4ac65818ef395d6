//! Notifications.

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::NotificationKind;
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run, users::People};

/// Notifications go to their users; those of users who no longer exist are skipped (nobody
/// could read them).
pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    people: &People,
) -> Result<(), ServiceError> {
    run.each_batch(
        "notifications",
        columns::NOTIFICATIONS,
        |run, batch: Vec<legacy::Notification>| {
            let mut out = Vec::new();
            for n in batch {
                let Some(user_id) = n
                    .user_id
                    .filter(|u| people.known.contains(u) && !people.placeholders.contains(u))
                else {
                    run.repair(
                        "notifications",
                        n.id,
                        format!("user {} does not exist", n.user_id.unwrap_or_default()),
                        "skipped",
                    );
                    continue;
                };
                let kind = n
                    .notification_type
                    .as_deref()
                    .unwrap_or_default()
                    .parse::<NotificationKind>()
                    .unwrap_or_else(|_| {
                        run.repair(
                            "notifications",
                            n.id,
                            format!(
                                "type '{}' is unknown",
                                n.notification_type.clone().unwrap_or_default()
                            ),
                            "set to system",
                        );
                        NotificationKind::System
                    });
                out.push(rows::Notification {
                    id: n.id,
                    user_id,
                    title: run.note(
                        "notifications",
                        n.id,
                        repair::text("title", n.title.as_deref(), 200, Some("Уведомление")),
                    ),
                    message: n.message.unwrap_or_default(),
                    notification_type: kind.as_str().into(),
                    related_id: n.related_id,
                    is_read: n.is_read.unwrap_or(false),
                    created_at: run.note(
                        "notifications",
                        n.id,
                        repair::timestamp("created_at", n.created_at.as_deref(), run.now),
                    ),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::notifications(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}
