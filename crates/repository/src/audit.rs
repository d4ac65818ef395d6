//! The audit log: rows are only ever appended.

use chrono::NaiveDateTime;
use fixdesk_domain::NewAuditEntry;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::{RepoError, entities::audit_log};

/// Appends one entry and returns its id.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    entry: NewAuditEntry,
    now: NaiveDateTime,
) -> Result<i64, RepoError> {
    let row = audit_log::ActiveModel {
        action_type: Set(entry.action.as_str().to_string()),
        description: Set(entry.description),
        entity_type: Set(Some(entry.entity.as_str().to_string())),
        entity_id: Set(entry.entity_id),
        old_values: Set(entry.old_values.map(|v| v.to_string())),
        new_values: Set(entry.new_values.map(|v| v.to_string())),
        ip_address: Set(entry.client.ip),
        user_agent: Set(entry.client.user_agent),
        created_at: Set(now),
        user_id: Set(entry.actor.map(|a| a.0)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}
