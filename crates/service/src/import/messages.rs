//! Ticket messages.

use std::collections::HashSet;

use fixdesk_db::ConnectionTrait;
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run, users::People};

pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    tickets: &HashSet<i64>,
    people: &People,
) -> Result<(), ServiceError> {
    run.each_batch(
        "ticket_messages",
        columns::MESSAGES,
        |run, batch: Vec<legacy::Message>| {
            let mut out = Vec::new();
            for m in batch {
                match m.ticket_id.filter(|t| tickets.contains(t)) {
                    None => run.repair(
                        "ticket_messages",
                        m.id,
                        format!("ticket {} does not exist", m.ticket_id.unwrap_or_default()),
                        "skipped",
                    ),
                    Some(ticket_id) => {
                        if let Some(author) = m.user_id.filter(|u| people.placeholders.contains(u))
                        {
                            run.repair(
                                "ticket_messages",
                                m.id,
                                format!("author {author} does not exist"),
                                "points at the 'deleted user' placeholder",
                            );
                        }
                        out.push(rows::Message {
                            id: m.id,
                            ticket_id,
                            user_id: m.user_id.unwrap_or(0),
                            message: m.message.unwrap_or_default(),
                            created_at: run.note(
                                "ticket_messages",
                                m.id,
                                repair::timestamp("created_at", m.created_at.as_deref(), run.now),
                            ),
                            is_internal: false,
                        })
                    }
                }
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::messages(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}
