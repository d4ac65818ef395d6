//! The audit log: rows are only ever appended, each chained to the one before by its hash.

use chrono::NaiveDateTime;
use fixdesk_domain::{
    AuditFilter, AuditRecord, AuditUser, ChainProblem, NewAuditEntry, Page, UserId, audit::GENESIS,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, sea_query::Expr,
};
use sha2::{Digest, Sha256};

use crate::{
    RepoError,
    batch::Batch,
    entities::{audit_chain, audit_log, user},
};

/// The hash of a row: its content and the hash before it, separated so no two different rows
/// share an input.
fn row_hash(prev: &str, m: &audit_log::Model) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let fields = [
        prev.to_string(),
        m.created_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        m.user_id.map(|u| u.to_string()).unwrap_or_default(),
        m.action_type.clone(),
        opt(&m.entity_type),
        m.entity_id.map(|e| e.to_string()).unwrap_or_default(),
        m.description.clone(),
        opt(&m.old_values),
        opt(&m.new_values),
        opt(&m.ip_address),
        opt(&m.user_agent),
    ];
    let digest = Sha256::digest(fields.join("\u{1f}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// An audit row given column by column (imported history, written as it was).
#[derive(Debug, Clone)]
pub struct RawEntry {
    pub action_type: String,
    pub description: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    /// JSON text.
    pub old_values: Option<String>,
    pub new_values: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub user_id: Option<i64>,
}

/// Appends one entry (reads the chain head, then writes the row and moves the head).
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    entry: NewAuditEntry,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    append_all(conn, vec![raw(entry, now)]).await
}

/// An entry as the columns it is stored in.
pub fn raw(entry: NewAuditEntry, now: NaiveDateTime) -> RawEntry {
    RawEntry {
        action_type: entry.action.as_str().to_string(),
        description: entry.description,
        entity_type: Some(entry.entity.as_str().to_string()),
        entity_id: entry.entity_id,
        old_values: entry.old_values.map(|v| v.to_string()),
        new_values: entry.new_values.map(|v| v.to_string()),
        ip_address: entry.client.ip,
        user_agent: entry.client.user_agent,
        created_at: now,
        user_id: entry.actor.map(|a| a.0),
    }
}

/// Appends rows given column by column, in order: one read of the chain head, then every row
/// and the head's move in one batch (the importer's path, thousands of rows at a time).
pub async fn append_all<C: ConnectionTrait>(
    conn: &C,
    entries: Vec<RawEntry>,
) -> Result<(), RepoError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut last = head(conn).await?;
    let mut batch = Batch::on(conn);
    for entry in entries {
        last = insert_chained(&mut batch, &last, entry);
    }
    move_head(&mut batch, last);
    batch.run(conn).await
}

/// The hash the next row chains to. Row-locked on PostgreSQL until the unit of work ends, so
/// concurrent appends take turns (SQLite's single writer already does).
pub async fn head<C: ConnectionTrait>(conn: &C) -> Result<String, RepoError> {
    let mut head = audit_chain::Entity::find_by_id(1);
    if conn.get_database_backend() == DbBackend::Postgres {
        head = head.lock_exclusive();
    }
    Ok(head
        .one(conn)
        .await?
        .map(|h| h.last_hash)
        .unwrap_or_else(|| GENESIS.to_string()))
}

/// Queues the row chained to `prev` and the move of the chain head to it, in the caller's
/// unit of work (after [`head`] in the same one).
pub fn append_to(batch: &mut Batch, prev: &str, entry: RawEntry) {
    let hash = insert_chained(batch, prev, entry);
    move_head(batch, hash);
}

/// Queues the row chained to `prev`; returns its hash, which the next row chains to.
fn insert_chained(batch: &mut Batch, prev: &str, entry: RawEntry) -> String {
    let mut row = audit_log::Model {
        id: 0,
        action_type: entry.action_type,
        description: entry.description,
        entity_type: entry.entity_type,
        entity_id: entry.entity_id,
        old_values: entry.old_values,
        new_values: entry.new_values,
        ip_address: entry.ip_address,
        user_agent: entry.user_agent,
        created_at: entry.created_at,
        user_id: entry.user_id,
        prev_hash: prev.to_string(),
        hash: String::new(),
    };
    row.hash = row_hash(prev, &row);
    let hash = row.hash.clone();
    let mut active: audit_log::ActiveModel = row.into();
    active.id = sea_orm::ActiveValue::NotSet;
    let backend = batch.backend();
    batch.push(audit_log::Entity::insert(active).build(backend));
    hash
}

fn move_head(batch: &mut Batch, hash: String) {
    let backend = batch.backend();
    batch.push(
        audit_chain::Entity::update_many()
            .col_expr(audit_chain::Column::LastHash, Expr::value(hash))
            .filter(audit_chain::Column::Id.eq(1))
            .build(backend),
    );
}

fn condition(filter: &AuditFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(v) = &filter.action_type {
        c = c.add(audit_log::Column::ActionType.eq(v.clone()));
    }
    if let Some(v) = &filter.entity_type {
        c = c.add(audit_log::Column::EntityType.eq(v.clone()));
    }
    if let Some(v) = filter.entity_id {
        c = c.add(audit_log::Column::EntityId.eq(v));
    }
    if let Some(v) = filter.user_id {
        c = c.add(audit_log::Column::UserId.eq(v.0));
    }
    if let Some(role) = filter.role {
        let people = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Role.eq(role.as_str()))
            .into_query();
        c = c.add(audit_log::Column::UserId.in_subquery(people));
    }
    if let Some(v) = filter.from {
        c = c.add(audit_log::Column::CreatedAt.gte(v));
    }
    if let Some(v) = filter.to {
        c = c.add(audit_log::Column::CreatedAt.lte(v));
    }
    if let Some(v) = filter.after_id {
        c = c.add(audit_log::Column::Id.gt(v));
    }
    c
}

async fn records<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<audit_log::Model>,
) -> Result<Vec<AuditRecord>, RepoError> {
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    let people = crate::users::with_ids(conn, ids.into_iter().map(UserId)).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let user = m
                .user_id
                .and_then(|id| people.iter().find(|u| u.id.0 == id))
                .map(|u| AuditUser {
                    id: u.id,
                    username: u.username.clone(),
                    full_name: u.full_name.clone(),
                    role: u.role,
                });
            // Values that do not parse (imported from the old service) are shown as absent.
            let parse =
                |v: &Option<String>| v.as_deref().and_then(|t| serde_json::from_str(t).ok());
            AuditRecord {
                old_values: parse(&m.old_values),
                new_values: parse(&m.new_values),
                id: m.id,
                action_type: m.action_type,
                description: m.description,
                entity_type: m.entity_type,
                entity_id: m.entity_id,
                created_at: m.created_at,
                ip_address: m.ip_address,
                user_agent: m.user_agent,
                user,
            }
        })
        .collect())
}

/// Matching rows, newest first.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &AuditFilter,
    page: Page,
) -> Result<Vec<AuditRecord>, RepoError> {
    let rows = audit_log::Entity::find()
        .filter(condition(filter))
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .all(conn)
        .await?;
    records(conn, rows).await
}

/// Rows matching `filter` after `after_id`, oldest first: an export reads the whole log this
/// way, a page at a time, each page an index range however far it has come.
pub async fn matching_after<C: ConnectionTrait>(
    conn: &C,
    filter: &AuditFilter,
    after_id: i64,
    limit: u64,
) -> Result<Vec<AuditRecord>, RepoError> {
    let rows = audit_log::Entity::find()
        .filter(condition(filter))
        .filter(audit_log::Column::Id.gt(after_id))
        .order_by_asc(audit_log::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    records(conn, rows).await
}

/// Matching rows oldest first (for live streams, which send rows as they come).
pub async fn newer_than<C: ConnectionTrait>(
    conn: &C,
    after_id: i64,
    limit: u64,
) -> Result<Vec<AuditRecord>, RepoError> {
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Id.gt(after_id))
        .order_by_asc(audit_log::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    records(conn, rows).await
}

pub async fn count<C: ConnectionTrait>(conn: &C, filter: &AuditFilter) -> Result<u64, RepoError> {
    Ok(audit_log::Entity::find()
        .filter(condition(filter))
        .count(conn)
        .await?)
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<AuditRecord>, RepoError> {
    let rows = audit_log::Entity::find_by_id(id).all(conn).await?;
    Ok(records(conn, rows).await?.pop())
}

/// The newest row's id (0 when the log is empty).
pub async fn last_id<C: ConnectionTrait>(conn: &C) -> Result<i64, RepoError> {
    let id: Option<i64> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Id)
        .order_by_desc(audit_log::Column::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Whether `user` has ever signed in from `ip`.
pub async fn signed_in_from<C: ConnectionTrait>(
    conn: &C,
    user: fixdesk_domain::UserId,
    ip: &str,
) -> Result<bool, RepoError> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::UserId.eq(user.0))
        .filter(audit_log::Column::ActionType.eq(fixdesk_domain::AuditAction::Login.as_str()))
        .filter(audit_log::Column::IpAddress.eq(ip))
        .select_only()
        .column(audit_log::Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .is_some())
}

/// Action types that occur in the log.
pub async fn action_types<C: ConnectionTrait>(conn: &C) -> Result<Vec<String>, RepoError> {
    Ok(audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::ActionType)
        .distinct()
        .order_by_asc(audit_log::Column::ActionType)
        .into_tuple()
        .all(conn)
        .await?)
}

/// Walks the whole chain in id order and reports every row whose content or link no longer
/// checks out, and a head that no longer matches the last row.
pub async fn verify<C: ConnectionTrait>(conn: &C) -> Result<Vec<ChainProblem>, RepoError> {
    let mut problems = Vec::new();
    let mut expected_prev = GENESIS.to_string();
    let mut last_id = None;
    let mut after = 0i64;
    loop {
        let batch = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(after))
            .order_by_asc(audit_log::Column::Id)
            .limit(5_000)
            .all(conn)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for row in batch {
            if row.prev_hash != expected_prev {
                problems.push(ChainProblem::Broken { id: row.id });
            }
            if row_hash(&row.prev_hash, &row) != row.hash {
                problems.push(ChainProblem::Altered { id: row.id });
            }
            expected_prev = row.hash.clone();
            last_id = Some(row.id);
        }
    }
    let head = audit_chain::Entity::find_by_id(1)
        .one(conn)
        .await?
        .map(|h| h.last_hash);
    if head.as_deref() != Some(expected_prev.as_str()) {
        problems.push(ChainProblem::Truncated { last_id });
    }
    Ok(problems)
}
