//! Equipment.

use std::collections::HashSet;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::EquipmentStatus;
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run, users::People};

pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    people: &People,
) -> Result<HashSet<i64>, ServiceError> {
    let mut ids = HashSet::new();
    run.each_batch(
        "equipment",
        columns::EQUIPMENT,
        |run, batch: Vec<legacy::Equipment>| {
            let mut out = Vec::new();
            for e in batch {
                let id = e.id;
                let fallback = format!("Оборудование {id}");
                let status = match e
                    .status
                    .as_deref()
                    .map(str::trim)
                    .unwrap_or("active")
                    .parse::<EquipmentStatus>()
                {
                    Ok(s) => s,
                    Err(_) => {
                        run.repair(
                            "equipment",
                            id,
                            format!(
                                "status '{}' is not a status",
                                e.status.clone().unwrap_or_default()
                            ),
                            "set to repair",
                        );
                        EquipmentStatus::Repair
                    }
                };
                if let Some(by) = e.created_by_id.filter(|u| people.placeholders.contains(u)) {
                    run.repair(
                        "equipment",
                        id,
                        format!("creator {by} does not exist"),
                        "points at the 'deleted user' placeholder",
                    );
                }
                if e.kind.as_deref().is_none_or(|k| k.trim().is_empty()) {
                    run.repair(
                        "equipment",
                        id,
                        "no type",
                        "left without a type (it matches no category)",
                    );
                }
                let opt = |run: &mut Run<'_, C>, f: &str, v: &Option<String>, max| {
                    run.note("equipment", id, repair::optional_text(f, v.as_deref(), max))
                };
                ids.insert(id);
                out.push(rows::Equipment {
                    id,
                    name: run.note(
                        "equipment",
                        id,
                        repair::text("name", e.name.as_deref(), 200, Some(&fallback)),
                    ),
                    kind: opt(run, "type", &e.kind, 100),
                    // Linked by the type's name once every row is in (see `import`).
                    category_id: None,
                    model: opt(run, "model", &e.model, 200),
                    serial_number: opt(run, "serial_number", &e.serial_number, 200),
                    inventory_number: opt(run, "inventory_number", &e.inventory_number, 200),
                    location: opt(run, "location", &e.location, 200),
                    status: status.as_str().into(),
                    purchase_date: repair::parse_timestamp(e.purchase_date.as_deref()),
                    warranty_end_date: repair::parse_timestamp(e.warranty_end_date.as_deref()),
                    last_maintenance_date: repair::parse_timestamp(
                        e.last_maintenance_date.as_deref(),
                    ),
                    responsible_person: opt(run, "responsible_person", &e.responsible_person, 200),
                    notes: e.notes.filter(|n| !n.trim().is_empty()),
                    created_at: run.note(
                        "equipment",
                        id,
                        repair::timestamp("created_at", e.created_at.as_deref(), run.now),
                    ),
                    created_by_id: e.created_by_id.unwrap_or(0),
                    updated_at: repair::parse_timestamp(e.updated_at.as_deref()),
                    updated_by_id: e.updated_by_id,
                    deleted_at: None,
                    // Filled once every row is in (see `import`).
                    search_text: String::new(),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::equipment_items(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await?;
    Ok(ids)
}
