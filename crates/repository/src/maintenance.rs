//! Maintenance records of equipment.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    EquipmentId, Maintenance, MaintenanceId, MaintenanceKind, UserId, equipment::MaintenanceWork,
    money::Money,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{RepoError, entities::maintenance};

fn to_domain(m: maintenance::Model) -> Result<Maintenance, RepoError> {
    let kind = m
        .action_type
        .parse::<MaintenanceKind>()
        .map_err(|e| RepoError::InvalidRow {
            table: "maintenance",
            reason: format!("record {}: {}", m.id, e.message),
        })?;
    Ok(Maintenance {
        id: MaintenanceId(m.id),
        equipment_id: EquipmentId(m.equipment_id),
        kind,
        description: m.description,
        performed_at: m.performed_at,
        performed_by: UserId(m.performed_by),
        work: MaintenanceWork {
            parts: m.parts,
            cost: m
                .cost_minor
                .zip(m.currency)
                .map(|(minor, currency)| Money { minor, currency }),
            downtime_minutes: m.downtime_minutes,
        },
    })
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    equipment: EquipmentId,
    kind: MaintenanceKind,
    description: String,
    performed_at: NaiveDateTime,
    by: UserId,
    work: MaintenanceWork,
) -> Result<Maintenance, RepoError> {
    let (cost_minor, currency) = match work.cost {
        Some(c) => (Some(c.minor), Some(c.currency)),
        None => (None, None),
    };
    let m = maintenance::ActiveModel {
        parts: Set(work.parts),
        cost_minor: Set(cost_minor),
        currency: Set(currency),
        downtime_minutes: Set(work.downtime_minutes),
        equipment_id: Set(equipment.0),
        action_type: Set(kind.as_str().to_string()),
        description: Set(description),
        performed_at: Set(performed_at),
        performed_by: Set(by.0),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    to_domain(m)
}

/// An item's records, newest first.
pub async fn for_equipment<C: ConnectionTrait>(
    conn: &C,
    equipment: EquipmentId,
) -> Result<Vec<Maintenance>, RepoError> {
    maintenance::Entity::find()
        .filter(maintenance::Column::EquipmentId.eq(equipment.0))
        .order_by_desc(maintenance::Column::PerformedAt)
        .order_by_desc(maintenance::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// When the newest record of an item was performed.
pub async fn newest<C: ConnectionTrait>(
    conn: &C,
    equipment: EquipmentId,
) -> Result<Option<NaiveDateTime>, RepoError> {
    Ok(maintenance::Entity::find()
        .filter(maintenance::Column::EquipmentId.eq(equipment.0))
        .select_only()
        .column(maintenance::Column::PerformedAt)
        .order_by_desc(maintenance::Column::PerformedAt)
        .limit(1)
        .into_tuple::<NaiveDateTime>()
        .one(conn)
        .await?)
}

/// Summed maintenance of one item and currency, as the database returns it.
type Totals = (i64, Option<String>, Option<i64>, Option<i64>);

/// Per item and currency, records performed in `[from, to)`: downtime minutes and cost (minor
/// units; records without a cost count under an empty currency).
pub async fn totals_between<C: ConnectionTrait>(
    conn: &C,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<(i64, String, i64, i64)>, RepoError> {
    let rows: Vec<Totals> = maintenance::Entity::find()
        .select_only()
        .column(maintenance::Column::EquipmentId)
        .column(maintenance::Column::Currency)
        .column_as(
            Expr::expr(maintenance::Column::DowntimeMinutes.sum()).cast_as("BIGINT"),
            "downtime",
        )
        .column_as(
            Expr::expr(maintenance::Column::CostMinor.sum()).cast_as("BIGINT"),
            "cost",
        )
        .filter(maintenance::Column::PerformedAt.gte(from))
        .filter(maintenance::Column::PerformedAt.lt(to))
        .group_by(maintenance::Column::EquipmentId)
        .group_by(maintenance::Column::Currency)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(item, currency, downtime, cost)| {
            (
                item,
                currency.unwrap_or_default(),
                downtime.unwrap_or(0),
                cost.unwrap_or(0),
            )
        })
        .collect())
}
