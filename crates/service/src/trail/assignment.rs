//! Audit entries about fair assignment: rules changed by admins, absences recorded.

use fixdesk_domain::{
    AuditEntity, ClientInfo, NewAuditEntry, UserId,
    assignment::{Absence, AssignmentRule},
};
use serde_json::{Value, json};

use super::service_levels::changed;

fn rule_values(r: &AssignmentRule) -> Value {
    json!({
        "category_id": r.category_id.0,
        "strategy": r.strategy.as_str(),
        "agent_ids": r.agents.iter().map(|a| a.0).collect::<Vec<_>>(),
        "enabled": r.enabled,
    })
}

/// An assignment rule created, replaced or deleted.
pub(crate) fn rule_changed(
    actor: UserId,
    before: Option<&AssignmentRule>,
    after: Option<&AssignmentRule>,
    client: &ClientInfo,
) -> NewAuditEntry {
    let name = |r: &AssignmentRule| format!("#{}", r.id.0);
    let b = before.map(|r| (r.id.0, name(r), rule_values(r)));
    let a = after.map(|r| (r.id.0, name(r), rule_values(r)));
    changed(
        actor,
        AuditEntity::AssignmentRule,
        "правило назначения",
        b.as_ref().map(|(i, n, v)| (*i, n.as_str(), v.clone())),
        a.as_ref().map(|(i, n, v)| (*i, n.as_str(), v.clone())),
        client,
    )
}

/// An absence recorded (`added`) or removed.
pub(crate) fn absence_changed(
    actor: UserId,
    a: &Absence,
    added: bool,
    client: &ClientInfo,
) -> NewAuditEntry {
    let values = json!({
        "user_id": a.user_id.0,
        "starts_on": a.starts_on.to_string(),
        "ends_on": a.ends_on.to_string(),
        "note": a.note,
    });
    let period = format!("{} — {}", a.starts_on, a.ends_on);
    let (before, after) = if added {
        (None, Some((a.id, period.as_str(), values)))
    } else {
        (Some((a.id, period.as_str(), values)), None)
    };
    changed(
        actor,
        AuditEntity::Absence,
        "отсутствие",
        before,
        after,
        client,
    )
}
