//! Equipment. An item that tickets refer to is marked deleted rather than removed, so those
//! tickets keep a valid reference; reads see live items only.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    CategoryId, Equipment, EquipmentChanges, EquipmentDetails, EquipmentFilter, EquipmentId,
    EquipmentStatus, NewEquipment, Page, Patch, TicketStatus, UserId,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};

use crate::{
    RepoError,
    entities::{equipment, ticket},
};

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
        category_id: m.category_id.map(CategoryId),
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
        category_id: Set(new.category_id.map(|c| c.0)),
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
    with_search_text(conn, to_domain(m.insert(conn).await?)?).await
}

/// Keeps the row's search text in step with its fields (after an insert or update).
async fn with_search_text<C: ConnectionTrait>(
    conn: &C,
    e: Equipment,
) -> Result<Equipment, RepoError> {
    equipment::Entity::update_many()
        .col_expr(equipment::Column::SearchText, Expr::value(e.search_text()))
        .filter(equipment::Column::Id.eq(e.id.0))
        .exec(conn)
        .await?;
    Ok(e)
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
    if let Some(c) = filter.category_id {
        q = q.filter(equipment::Column::CategoryId.eq(c.0));
    }
    if let Some(term) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        q = q.filter(equipment::Column::SearchText.like(crate::like::contains(term)));
    }
    if let Some(open) = filter.has_open_tickets {
        let exists = Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(ticket::Entity)
                .and_where(
                    Expr::col((ticket::Entity, ticket::Column::EquipmentId))
                        .equals((equipment::Entity, equipment::Column::Id)),
                )
                .and_where(ticket::Column::Status.ne(TicketStatus::Closed.rank()))
                .to_owned(),
        );
        q = q.filter(if open { exists } else { exists.not() });
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
    if let Some(v) = changes.category_id {
        m.category_id = Set(v.map(|c| c.0));
    }
    if let Some(v) = changes.status {
        m.status = Set(v.as_str().to_string());
    }
    apply_details(&mut m, changes.details);
    with_search_text(conn, to_domain(m.update(conn).await?)?).await
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

/// Sets an item's status (as its tickets move it; not counted as a person's edit).
pub async fn set_status<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
    status: EquipmentStatus,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    equipment::Entity::update_many()
        .col_expr(equipment::Column::Status, Expr::value(status.as_str()))
        .col_expr(equipment::Column::UpdatedAt, Expr::value(now))
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

/// A category was renamed: its items' type follows (the link itself is the id).
pub async fn rename_category<C: ConnectionTrait>(
    conn: &C,
    category: CategoryId,
    name: &str,
) -> Result<(), RepoError> {
    equipment::Entity::update_many()
        .col_expr(equipment::Column::Kind, Expr::value(name))
        .filter(equipment::Column::CategoryId.eq(category.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// A category was deleted: its items keep their type text and belong to no category.
pub async fn unlink_category<C: ConnectionTrait>(
    conn: &C,
    category: CategoryId,
) -> Result<(), RepoError> {
    equipment::Entity::update_many()
        .col_expr(
            equipment::Column::CategoryId,
            Expr::value(Option::<i64>::None),
        )
        .filter(equipment::Column::CategoryId.eq(category.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Gives every item without a category the one its type names (ignoring case), and that
/// category's name as its type, as the migration did for existing data; returns the types no
/// category names, with their counts.
pub async fn link_categories<C: ConnectionTrait>(
    conn: &C,
) -> Result<Vec<(String, u64)>, RepoError> {
    let categories: Vec<(i64, String)> = crate::entities::category::Entity::find()
        .select_only()
        .column(crate::entities::category::Column::Id)
        .column(crate::entities::category::Column::Name)
        .order_by_asc(crate::entities::category::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let kinds: Vec<(Option<String>, i64)> = equipment::Entity::find()
        .select_only()
        .column(equipment::Column::Kind)
        .column_as(equipment::Column::Id.count(), "n")
        .filter(equipment::Column::CategoryId.is_null())
        .group_by(equipment::Column::Kind)
        .into_tuple()
        .all(conn)
        .await?;
    let mut unmapped = Vec::new();
    for (kind, items) in kinds {
        let Some(kind) = kind else { continue };
        let named = categories
            .iter()
            .map(|(id, n)| (CategoryId(*id), n.as_str()));
        match fixdesk_domain::category::category_named(&kind, named) {
            Some(c) => {
                let name = categories.iter().find(|(id, _)| *id == c.0).map(|(_, n)| n);
                equipment::Entity::update_many()
                    .col_expr(equipment::Column::CategoryId, Expr::value(c.0))
                    .col_expr(equipment::Column::Kind, Expr::value(name.cloned()))
                    .filter(equipment::Column::CategoryId.is_null())
                    .filter(equipment::Column::Kind.eq(kind))
                    .exec(conn)
                    .await?;
            }
            None => unmapped.push((kind, items as u64)),
        }
    }
    Ok(unmapped)
}

/// Sets every item's search text from its fields (after rows were written directly).
pub async fn refresh_search_texts<C: ConnectionTrait>(conn: &C) -> Result<(), RepoError> {
    for m in equipment::Entity::find().all(conn).await? {
        with_search_text(conn, to_domain(m)?).await?;
    }
    Ok(())
}
