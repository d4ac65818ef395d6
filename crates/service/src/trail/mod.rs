//! The audit entries the use cases write, worded in one place per area.

mod log;

pub use log::AuditLog;

mod assignment;
mod equipment;
mod service_levels;
mod tickets;
mod users;

pub(crate) use assignment::*;
pub(crate) use equipment::*;
pub(crate) use service_levels::*;
pub(crate) use tickets::*;
pub(crate) use users::*;

use chrono::NaiveDateTime;
use fixdesk_db::{ConnectionTrait, Database, UnitOfWork};
use fixdesk_domain::{AuditAction, AuditEntity, ClientInfo, NewAuditEntry, UserId};
use fixdesk_repository::{audit, batch::Batch};
use fixdesk_usecases::ServiceError;
use serde_json::Value;

/// Appends the change's audit row to its unit of work and commits both, so a change and its
/// audit entry land together or not at all.
pub(crate) async fn commit(
    uow: UnitOfWork,
    entry: NewAuditEntry,
    now: NaiveDateTime,
) -> Result<(), ServiceError> {
    let batch = Batch::on(uow.conn());
    commit_with(uow, batch, entry, now).await
}

/// [`commit`] after the change's other queued writes (counters, notifications), which go to
/// the database with the audit row in one batch.
pub(crate) async fn commit_with(
    uow: UnitOfWork,
    batch: Batch,
    entry: NewAuditEntry,
    now: NaiveDateTime,
) -> Result<(), ServiceError> {
    append(uow.conn(), batch, entry, now).await?;
    uow.commit().await?;
    Ok(())
}

/// Queues the audit row after `batch` and runs them, in the caller's unit of work (which the
/// caller commits).
pub(crate) async fn append<C: ConnectionTrait>(
    conn: &C,
    mut batch: Batch,
    entry: NewAuditEntry,
    now: NaiveDateTime,
) -> Result<(), ServiceError> {
    let prev = audit::head(conn).await?;
    audit::append_to(&mut batch, &prev, audit::raw(entry, now));
    batch.run(conn).await?;
    Ok(())
}

/// Records an event that changes nothing else (a refusal, a failed sign-in) in a transaction
/// of its own.
pub(crate) async fn record(
    db: &Database,
    entry: NewAuditEntry,
    now: NaiveDateTime,
) -> Result<(), ServiceError> {
    commit(db.begin_write().await?, entry, now).await
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn entry(
    actor: Option<UserId>,
    action: AuditAction,
    entity: AuditEntity,
    entity_id: Option<i64>,
    description: String,
    old_values: Option<Value>,
    new_values: Option<Value>,
    client: &ClientInfo,
) -> NewAuditEntry {
    NewAuditEntry {
        actor,
        action,
        entity,
        entity_id,
        description,
        old_values,
        new_values,
        client: client.clone(),
    }
}

/// Old and new values of only the fields that changed.
pub(crate) fn diff(old: &Value, new: &Value) -> (Value, Value) {
    let (mut before, mut after) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(o), Some(n)) = (old.as_object(), new.as_object()) {
        for (k, nv) in n {
            let ov = o.get(k).cloned().unwrap_or(Value::Null);
            if &ov != nv {
                before.insert(k.clone(), ov);
                after.insert(k.clone(), nv.clone());
            }
        }
    }
    (Value::Object(before), Value::Object(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_only_changed_fields() {
        let (o, n) = diff(&json!({"a": 1, "b": 2}), &json!({"a": 1, "b": 3}));
        assert_eq!(o, json!({"b": 2}));
        assert_eq!(n, json!({"b": 3}));
    }
}
