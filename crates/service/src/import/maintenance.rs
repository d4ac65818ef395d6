//! Maintenance records.

use std::collections::HashSet;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::MaintenanceKind;
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run};

pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    equipment: &HashSet<i64>,
) -> Result<(), ServiceError> {
    run.each_batch(
        "maintenance",
        columns::MAINTENANCE,
        |run, batch: Vec<legacy::Maintenance>| {
            let mut out = Vec::new();
            for m in batch {
                let Some(equipment_id) = m.equipment_id.filter(|e| equipment.contains(e)) else {
                    run.repair(
                        "maintenance",
                        m.id,
                        format!(
                            "equipment {} does not exist",
                            m.equipment_id.unwrap_or_default()
                        ),
                        "skipped",
                    );
                    continue;
                };
                let kind = match m
                    .action_type
                    .as_deref()
                    .unwrap_or_default()
                    .parse::<MaintenanceKind>()
                {
                    Ok(k) => k,
                    Err(_) => {
                        run.repair(
                            "maintenance",
                            m.id,
                            format!(
                                "type '{}' is not a maintenance type",
                                m.action_type.clone().unwrap_or_default()
                            ),
                            "set to other",
                        );
                        MaintenanceKind::Other
                    }
                };
                out.push(rows::Maintenance {
                    id: m.id,
                    equipment_id,
                    action_type: kind.as_str().into(),
                    description: m.description.unwrap_or_default(),
                    performed_at: run.note(
                        "maintenance",
                        m.id,
                        repair::timestamp("performed_at", m.performed_at.as_deref(), run.now),
                    ),
                    performed_by: m.performed_by.unwrap_or(0),
                    parts: None,
                    cost_minor: None,
                    currency: None,
                    downtime_minutes: None,
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::maintenance_records(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}
