//! Ticket categories.

use chrono::NaiveDateTime;
use fixdesk_domain::{Category, CategoryId, Page};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::{RepoError, entities::category};

fn to_domain(m: category::Model) -> Category {
    Category {
        id: CategoryId(m.id),
        name: m.name,
        description: m.description,
        is_active: m.is_active,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    name: String,
    description: Option<String>,
    is_active: bool,
    now: NaiveDateTime,
) -> Result<Category, RepoError> {
    let m = category::ActiveModel {
        name: Set(name),
        description: Set(description),
        is_active: Set(is_active),
        created_at: Set(now),
        updated_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(to_domain(m))
}

pub async fn find<C: ConnectionTrait>(
    conn: &C,
    id: CategoryId,
) -> Result<Option<Category>, RepoError> {
    Ok(category::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(to_domain))
}

/// Categories in id order; inactive ones only when asked.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    include_inactive: bool,
    page: Page,
) -> Result<Vec<Category>, RepoError> {
    let mut q = category::Entity::find().order_by_asc(category::Column::Id);
    if !include_inactive {
        q = q.filter(category::Column::IsActive.eq(true));
    }
    Ok(q.offset(page.offset)
        .limit(page.limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Every category's name by id (inactive ones too), for reports.
pub async fn names<C: ConnectionTrait>(
    conn: &C,
) -> Result<std::collections::HashMap<i64, String>, RepoError> {
    Ok(category::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

pub async fn name_taken<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    except: Option<CategoryId>,
) -> Result<bool, RepoError> {
    let mut q = category::Entity::find().filter(category::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(category::Column::Id.ne(id.0));
    }
    Ok(q.count(conn).await? > 0)
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: CategoryId,
    name: Option<String>,
    description: Option<String>,
    is_active: Option<bool>,
    now: NaiveDateTime,
) -> Result<Category, RepoError> {
    let mut m = category::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.0),
        updated_at: Set(Some(now)),
        ..Default::default()
    };
    if let Some(v) = name {
        m.name = Set(v);
    }
    if let Some(v) = description {
        m.description = Set(Some(v));
    }
    if let Some(v) = is_active {
        m.is_active = Set(v);
    }
    Ok(to_domain(m.update(conn).await?))
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: CategoryId) -> Result<(), RepoError> {
    category::Entity::delete_by_id(id.0).exec(conn).await?;
    Ok(())
}
