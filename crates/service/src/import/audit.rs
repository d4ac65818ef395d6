//! The audit log, appended to the hash chain and marked as imported.

use fixdesk_db::ConnectionTrait;
use fixdesk_repository::{
    audit,
    legacy::{self, columns},
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run, users::People};

/// Old audit rows are appended to the chain in their order, each description marked with the
/// old id; an actor that no longer exists is kept as a placeholder.
pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    people: &People,
) -> Result<(), ServiceError> {
    run.each_batch(
        "audit_logs",
        columns::AUDIT,
        |run, batch: Vec<legacy::AuditRow>| {
            let mut out = Vec::new();
            for r in batch {
                let id = r.id;
                if let Some(actor) = r.user_id.filter(|u| people.placeholders.contains(u)) {
                    run.repair(
                        "audit_logs",
                        id,
                        format!("actor {actor} does not exist"),
                        "points at the 'deleted user' placeholder",
                    );
                }
                if r.entity_type.as_deref() == Some("user")
                    && r.entity_id
                        .is_some_and(|e| people.placeholders.contains(&e))
                {
                    run.repair(
                        "audit_logs",
                        id,
                        format!("refers to deleted user {}", r.entity_id.unwrap_or_default()),
                        "points at the 'deleted user' placeholder",
                    );
                }
                out.push(audit::RawEntry {
                    action_type: r.action_type.unwrap_or_else(|| "UNKNOWN".into()),
                    description: format!("[импорт #{id}] {}", r.description.unwrap_or_default()),
                    entity_type: r.entity_type,
                    entity_id: r.entity_id,
                    old_values: run.note(
                        "audit_logs",
                        id,
                        repair::json_text("old_values", r.old_values.as_deref()),
                    ),
                    new_values: run.note(
                        "audit_logs",
                        id,
                        repair::json_text("new_values", r.new_values.as_deref()),
                    ),
                    ip_address: r.ip_address,
                    user_agent: r.user_agent,
                    created_at: run.note(
                        "audit_logs",
                        id,
                        repair::timestamp("created_at", r.created_at.as_deref(), run.now),
                    ),
                    user_id: r.user_id.filter(|u| people.known.contains(u)),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                audit::append_all(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}
