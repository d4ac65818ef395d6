//! Audit entries about tickets and their threads.

use fixdesk_domain::{
    AuditAction, AuditEntity, ClientInfo, NewAuditEntry, Ticket, TicketMessage, UserId,
};
use serde_json::{Value, json};

use super::{diff, entry};

/// The fields of a ticket that the audit log records.
pub(crate) fn ticket_values(t: &Ticket) -> Value {
    json!({
        "title": t.title,
        "description": t.description,
        "priority": t.priority.as_str(),
        "status": t.status.as_str(),
        "room_number": t.room_number,
        "category_id": t.category_id.map(|c| c.0),
        "equipment_id": t.equipment_id.map(|e| e.0),
        "assigned_to_id": t.assigned_to_id.map(|u| u.0),
        "resolution": t.resolution,
        "is_hidden_for_creator": t.hidden_for_creator,
        "waiting_on_requester": t.waiting_on_requester,
        "merged_into_id": t.merged_into_id.map(|m| m.0),
    })
}

/// Something that happened to ticket `t` that is no change of its own fields: a duplicate
/// merged into it, or someone joining it; `fact` is what the timeline reads.
pub(crate) fn ticket_joined(
    actor: UserId,
    t: &Ticket,
    fact: Value,
    description: String,
    client: &ClientInfo,
) -> NewAuditEntry {
    ticket_entry(
        actor,
        AuditAction::Update,
        t,
        description,
        None,
        Some(fact),
        client,
    )
}

fn ticket_entry(
    actor: UserId,
    action: AuditAction,
    t: &Ticket,
    d: String,
    old: Option<Value>,
    new: Option<Value>,
    client: &ClientInfo,
) -> NewAuditEntry {
    entry(
        Some(actor),
        action,
        AuditEntity::Ticket,
        Some(t.id.0),
        d,
        old,
        new,
        client,
    )
}

pub(crate) fn ticket_created(actor: UserId, t: &Ticket, client: &ClientInfo) -> NewAuditEntry {
    let new = json!({
        "title": t.title,
        "description": t.description,
        "room_number": t.room_number,
        "priority": t.priority.as_str(),
        "category_id": t.category_id.map(|c| c.0),
        "equipment_id": t.equipment_id.map(|e| e.0),
        "assigned_to_id": t.assigned_to_id.map(|u| u.0),
    });
    ticket_entry(
        actor,
        AuditAction::Create,
        t,
        format!("Создана новая заявка: {}", t.title),
        None,
        Some(new),
        client,
    )
}

/// Any change of a ticket, described by what changed.
pub(crate) fn ticket_changed(
    actor: UserId,
    before: &Ticket,
    after: &Ticket,
    description: String,
    client: &ClientInfo,
) -> NewAuditEntry {
    let (old, new) = diff(&ticket_values(before), &ticket_values(after));
    ticket_entry(
        actor,
        AuditAction::Update,
        after,
        description,
        Some(old),
        Some(new),
        client,
    )
}

pub(crate) fn ticket_deleted(actor: UserId, t: &Ticket, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Удалена заявка #{}: {}", t.id, t.title);
    ticket_entry(
        actor,
        AuditAction::Delete,
        t,
        d,
        Some(ticket_values(t)),
        None,
        client,
    )
}

pub(crate) fn message_posted(
    actor: UserId,
    m: &TicketMessage,
    client: &ClientInfo,
) -> NewAuditEntry {
    let d = format!("Новое сообщение в заявке #{}", m.ticket_id);
    let new = json!({"ticket_id": m.ticket_id.0, "message": m.message});
    entry(
        Some(actor),
        AuditAction::Create,
        AuditEntity::TicketMessage,
        Some(m.id.0),
        d,
        None,
        Some(new),
        client,
    )
}
