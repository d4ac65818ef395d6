//! Audit entries about service levels: calendars and policies changed by admins, and the
//! warnings, breaches and escalations the sweep records on tickets (no person did those).

use fixdesk_domain::{
    AuditAction, AuditEntity, ClientInfo, NewAuditEntry, Ticket, UserId,
    sla::{NamedCalendar, SlaEvent, SlaPolicy},
};
use serde_json::{Value, json};

use super::{diff, entry, ticket_values};

fn calendar_values(c: &NamedCalendar) -> Value {
    json!({
        "name": c.name,
        "time_zone": c.calendar.zone.name(),
        "working_hours": c.calendar.week.iter().map(|d| d.map(|h| h.to_text())).collect::<Vec<_>>(),
        "holidays": c.calendar.holidays.iter().map(|h| h.to_text()).collect::<Vec<_>>(),
    })
}

fn policy_values(p: &SlaPolicy) -> Value {
    json!({
        "name": p.name,
        "category_id": p.category_id.map(|c| c.0),
        "priority": p.priority.map(|p| p.as_str()),
        "calendar_id": p.calendar_id.0,
        "first_response_minutes": p.first_response_minutes,
        "resolution_minutes": p.resolution_minutes,
        "escalate_raise_priority": p.escalation.raise_priority,
        "escalate_to_id": p.escalation.reassign_to.map(|u| u.0),
    })
}

/// A calendar created (`before` none), replaced, or deleted (`after` none).
pub(crate) fn calendar_changed(
    actor: UserId,
    before: Option<&NamedCalendar>,
    after: Option<&NamedCalendar>,
    client: &ClientInfo,
) -> NewAuditEntry {
    changed(
        actor,
        AuditEntity::SlaCalendar,
        "календарь",
        before.map(|c| (c.id.0, c.name.as_str(), calendar_values(c))),
        after.map(|c| (c.id.0, c.name.as_str(), calendar_values(c))),
        client,
    )
}

/// A policy created, replaced or deleted.
pub(crate) fn policy_changed(
    actor: UserId,
    before: Option<&SlaPolicy>,
    after: Option<&SlaPolicy>,
    client: &ClientInfo,
) -> NewAuditEntry {
    changed(
        actor,
        AuditEntity::SlaPolicy,
        "политика обслуживания",
        before.map(|p| (p.id.0, p.name.as_str(), policy_values(p))),
        after.map(|p| (p.id.0, p.name.as_str(), policy_values(p))),
        client,
    )
}

/// A named thing created (`before` none), replaced, or deleted (`after` none).
pub(super) fn changed(
    actor: UserId,
    entity: AuditEntity,
    what: &str,
    before: Option<(i64, &str, Value)>,
    after: Option<(i64, &str, Value)>,
    client: &ClientInfo,
) -> NewAuditEntry {
    let (action, verb, id, name, old, new) = match (before, after) {
        (None, Some((id, name, v))) => (AuditAction::Create, "Создан(а)", id, name, None, Some(v)),
        (Some((id, name, v)), None) => (AuditAction::Delete, "Удален(а)", id, name, Some(v), None),
        (Some((_, _, o)), Some((id, name, n))) => {
            let (o, n) = diff(&o, &n);
            (
                AuditAction::Update,
                "Изменен(а)",
                id,
                name,
                Some(o),
                Some(n),
            )
        }
        (None, None) => (AuditAction::Update, "Изменен(а)", 0, "", None, None),
    };
    let d = format!("{verb} {what} {name}");
    entry(Some(actor), action, entity, Some(id), d, old, new, client)
}

/// What the sweep saw and did on a ticket: the event, and the escalation's changes if any.
pub(crate) fn sla_event(before: &Ticket, after: &Ticket, event: SlaEvent) -> NewAuditEntry {
    let (old, mut new) = diff(&ticket_values(before), &ticket_values(after));
    if let Some(map) = new.as_object_mut() {
        map.insert("sla_event".into(), json!(event.as_str()));
    }
    let d = event.describe(fixdesk_domain::Language::Ru, after.id.0);
    entry(
        None,
        AuditAction::Update,
        AuditEntity::Ticket,
        Some(after.id.0),
        d,
        Some(old),
        Some(new),
        &ClientInfo::default(),
    )
}

/// The escalation would have handed the ticket to `name`, who no longer takes tickets
/// (deactivated, or no longer staff): the ticket stays where it is, and this says why.
pub(crate) fn hand_over_skipped(t: &Ticket, name: &str) -> NewAuditEntry {
    entry(
        None,
        AuditAction::Update,
        AuditEntity::Ticket,
        Some(t.id.0),
        format!(
            "Заявка #{}: эскалация не передала заявку — {name} не принимает заявки",
            t.id
        ),
        None,
        Some(json!({ "sla_event": "hand_over_skipped" })),
        &ClientInfo::default(),
    )
}
