//! Equipment. An item that tickets refer to is marked deleted rather than removed, so those
//! tickets keep a valid reference; reads see live items only.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    Equipment, EquipmentChanges, EquipmentDetails, EquipmentFilter, EquipmentId, EquipmentStatus,
    NewEquipment, Page, Patch, UserId,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{RepoError, entities::equipment};

fn to_domain(m: equipment::Model) -> Result<Equipment, RepoError> {
    let status = m
        .status
        .parse::<EquipmentStatus>()
        .map_err(|e| RepoError::InvalidRow {
            table: "equipment",
            reason: format!("equipment {}: {}", m.id, e.message),
        })?;
    Ok(Equipment {
        id: EquipmentId(m.id),
        name: m.name,
        kind: m.kind,
        model: m.model,
        serial_number: m.serial_number,
        inventory_number: m.inventory_number,
        location: m.location,
        status,
        purchase_date: m.purchase_date,
        warranty_end_date: m.warranty_end_date,
        last_maintenance_date: m.last_maintenance_date,
        responsible_person: m.responsible_person,
        notes: m.notes,
        created_at: m.created_at,
        created_by_id: UserId(m.created_by_id),
        updated_at: m.updated_at,
        updated_by_id: m.updated_by_id.map(UserId),
    })
}

fn live() -> sea_orm::sea_query::SimpleExpr {
    equipment::Column::DeletedAt.is_null()
}

fn apply<T: Into<sea_orm::Value> + Clone + sea_orm::sea_query::Nullable>(
    target: &mut sea_orm::ActiveValue<Option<T>>,
    patch: Patch<T>,
) {
    match patch {
        Patch::Absent => {}
        Patch::Null => *target = Set(None),
        Patch::Value(v) => *target = Set(Some(v)),
    }
}

fn apply_details(m: &mut equipment::ActiveModel, d: EquipmentDetails) {
    apply(&mut m.model, d.model);
    apply(&mut m.serial_number, d.serial_number);
    apply(&mut m.inventory_number, d.inventory_number);
    apply(&mut m.location, d.location);
    apply(&mut m.purchase_date, d.purchase_date);
    apply(&mut m.warranty_end_date, d.warranty_end_date);
    apply(&mut m.last_maintenance_date, d.last_maintenance_date);
    apply(&mut m.responsible_person, d.responsible_person);
    apply(&mut m.notes, d.notes);
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    new: NewEquipment,
    by: UserId,
    now: NaiveDateTime,
) -> Result<Equipment, RepoError> {
    let mut m = equipment::ActiveModel {
        name: Set(new.name),
        kind: Set(Some(new.kind)),
        status: Set(new.status.as_str().to_string()),
        created_at: Set(now),
        created_by_id: Set(by.0),
        model: Set(None),
        serial_number: Set(None),
        inventory_number: Set(None),
        location: Set(None),
        purchase_date: Set(None),
        warranty_end_date: Set(None),
        last_maintenance_date: Set(None),
        responsible_person: Set(None),
        notes: Set(None),
        updated_at: Set(None),
        updated_by_id: Set(None),
        deleted_at: Set(None),
        ..Default::default()
    };
    apply_details(&mut m, new.details);
    to_domain(m.insert(conn).await?)
}

pub async fn find<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
) -> Result<Option<Equipment>, RepoError> {
    equipment::Entity::find_by_id(id.0)
        .filter(live())
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// Every item's name by id (retired ones too, which old tickets still name), for reports.
pub async fn names<C: ConnectionTrait>(
    conn: &C,
) -> Result<std::collections::HashMap<i64, String>, RepoError> {
    Ok(equipment::Entity::find()
        .select_only()
        .column(equipment::Column::Id)
        .column(equipment::Column::Name)
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

/// Live items matching every given filter, in id order.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &EquipmentFilter,
    page: Page,
) -> Result<Vec<Equipment>, RepoError> {
    let mut q = equipment::Entity::find()
        .filter(live())
        .order_by_asc(equipment::Column::Id);
    if let Some(v) = &filter.kind {
        q = q.filter(equipment::Column::Kind.eq(v.clone()));
    }
    if let Some(v) = &filter.location {
        q = q.filter(equipment::Column::Location.eq(v.clone()));
    }
    if let Some(v) = &filter.status {
        q = q.filter(equipment::Column::Status.eq(v.clone()));
    }
    q.offset(page.offset)
        .limit(page.limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The distinct non-empty values of a text column among live items, sorted.
async fn distinct<C: ConnectionTrait>(
    conn: &C,
    column: equipment::Column,
) -> Result<Vec<String>, RepoError> {
    let values: Vec<Option<String>> = equipment::Entity::find()
        .filter(live())
        .select_only()
        .column(column)
        .distinct()
        .order_by_asc(column)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(values
        .into_iter()
        .flatten()
        .filter(|v| !v.trim().is_empty())
        .collect())
}

pub async fn kinds<C: ConnectionTrait>(conn: &C) -> Result<Vec<String>, RepoError> {
    distinct(conn, equipment::Column::Kind).await
}

pub async fn locations<C: ConnectionTrait>(conn: &C) -> Result<Vec<String>, RepoError> {
    distinct(conn, equipment::Column::Location).await
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
    changes: EquipmentChanges,
    by: UserId,
    now: NaiveDateTime,
) -> Result<Equipment, RepoError> {
    let mut m = equipment::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.0),
        updated_at: Set(Some(now)),
        updated_by_id: Set(Some(by.0)),
        ..Default::default()
    };
    if let Some(v) = changes.name {
        m.name = Set(v);
    }
    if let Some(v) = changes.kind {
        m.kind = Set(Some(v));
    }
    if let Some(v) = changes.status {
        m.status = Set(v.as_str().to_string());
    }
    apply_details(&mut m, changes.details);
    to_domain(m.update(conn).await?)
}

/// Sets the last maintenance date to the newest record's (or none).
pub async fn set_last_maintenance<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
    date: Option<NaiveDateTime>,
) -> Result<(), RepoError> {
    equipment::Entity::update_many()
        .col_expr(equipment::Column::LastMaintenanceDate, Expr::value(date))
        .filter(equipment::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Marks an item deleted; it disappears from every read but keeps its row.
pub async fn retire<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
    by: UserId,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    equipment::Entity::update_many()
        .col_expr(equipment::Column::DeletedAt, Expr::value(now))
        .col_expr(
            equipment::Column::Status,
            Expr::value(EquipmentStatus::Decommissioned.as_str()),
        )
        .col_expr(equipment::Column::UpdatedById, Expr::value(by.0))
        .col_expr(equipment::Column::UpdatedAt, Expr::value(now))
        .filter(equipment::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: EquipmentId) -> Result<(), RepoError> {
    equipment::Entity::delete_by_id(id.0).exec(conn).await?;
    Ok(())
}
