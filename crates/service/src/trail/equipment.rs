//! Audit entries about categories, equipment and maintenance.

use fixdesk_domain::{
    AuditAction, AuditEntity, Category, ClientInfo, Equipment, Maintenance, NewAuditEntry, UserId,
};
use serde_json::{Value, json};

use super::{diff, entry};

fn category_values(c: &Category) -> Value {
    json!({"name": c.name, "description": c.description, "is_active": c.is_active})
}

pub(crate) fn category_created(actor: UserId, c: &Category, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Создана категория {}", c.name);
    entry(
        Some(actor),
        AuditAction::Create,
        AuditEntity::Category,
        Some(c.id.0),
        d,
        None,
        Some(category_values(c)),
        client,
    )
}

pub(crate) fn category_updated(
    actor: UserId,
    before: &Category,
    after: &Category,
    client: &ClientInfo,
) -> NewAuditEntry {
    let (old, new) = diff(&category_values(before), &category_values(after));
    let d = format!("Изменена категория {}", after.name);
    entry(
        Some(actor),
        AuditAction::Update,
        AuditEntity::Category,
        Some(after.id.0),
        d,
        Some(old),
        Some(new),
        client,
    )
}

pub(crate) fn category_deleted(actor: UserId, c: &Category, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Удалена категория {}", c.name);
    entry(
        Some(actor),
        AuditAction::Delete,
        AuditEntity::Category,
        Some(c.id.0),
        d,
        Some(category_values(c)),
        None,
        client,
    )
}

fn equipment_values(e: &Equipment) -> Value {
    json!({
        "name": e.name,
        "type": e.kind,
        "model": e.model,
        "serial_number": e.serial_number,
        "inventory_number": e.inventory_number,
        "location": e.location,
        "status": e.status.as_str(),
        "purchase_date": e.purchase_date,
        "warranty_end_date": e.warranty_end_date,
        "last_maintenance_date": e.last_maintenance_date,
        "responsible_person": e.responsible_person,
        "notes": e.notes,
    })
}

pub(crate) fn equipment_created(
    actor: UserId,
    e: &Equipment,
    client: &ClientInfo,
) -> NewAuditEntry {
    let d = format!("Добавлено оборудование {}", e.name);
    entry(
        Some(actor),
        AuditAction::Create,
        AuditEntity::Equipment,
        Some(e.id.0),
        d,
        None,
        Some(equipment_values(e)),
        client,
    )
}

pub(crate) fn equipment_updated(
    actor: UserId,
    before: &Equipment,
    after: &Equipment,
    client: &ClientInfo,
) -> NewAuditEntry {
    let (old, new) = diff(&equipment_values(before), &equipment_values(after));
    let d = format!("Изменено оборудование {}", after.name);
    entry(
        Some(actor),
        AuditAction::Update,
        AuditEntity::Equipment,
        Some(after.id.0),
        d,
        Some(old),
        Some(new),
        client,
    )
}

pub(crate) fn equipment_deleted(
    actor: UserId,
    e: &Equipment,
    retired: bool,
    client: &ClientInfo,
) -> NewAuditEntry {
    let how = if retired {
        "списано (на него ссылаются заявки)"
    } else {
        "удалено"
    };
    let d = format!("Оборудование {} {how}", e.name);
    entry(
        Some(actor),
        AuditAction::Delete,
        AuditEntity::Equipment,
        Some(e.id.0),
        d,
        Some(equipment_values(e)),
        None,
        client,
    )
}

pub(crate) fn maintenance_recorded(
    actor: UserId,
    e: &Equipment,
    m: &Maintenance,
    client: &ClientInfo,
) -> NewAuditEntry {
    let d = format!("Обслуживание оборудования {}: {}", e.name, m.kind.as_str());
    let new = json!({
        "equipment_id": m.equipment_id.0,
        "action_type": m.kind.as_str(),
        "description": m.description,
        "performed_at": m.performed_at,
    });
    entry(
        Some(actor),
        AuditAction::Create,
        AuditEntity::Maintenance,
        Some(m.id.0),
        d,
        None,
        Some(new),
        client,
    )
}
