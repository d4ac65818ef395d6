//! Reading the old ticket-system's database (its schema: contract §3.8). Every column is read
//! as the old service may have left it — nullable, untyped text — so the importer can repair
//! what it finds instead of failing on it.

use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

use crate::RepoError;

#[derive(Debug, Clone, FromQueryResult)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
    pub username: Option<String>,
    pub hashed_password: Option<String>,
    pub full_name: Option<String>,
    pub role: Option<String>,
    pub is_active: Option<bool>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Category {
    pub id: i64,
    pub name: Option<String>,
    pub description: Option<String>,
    pub is_active: Option<bool>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Ticket {
    pub id: i64,
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub resolution: Option<String>,
    pub room_number: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub is_hidden_for_creator: Option<bool>,
    pub creator_id: Option<i64>,
    pub assigned_to_id: Option<i64>,
    pub category_id: Option<i64>,
    pub equipment_id: Option<i64>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Message {
    pub id: i64,
    pub message: Option<String>,
    pub created_at: Option<String>,
    pub ticket_id: Option<i64>,
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Equipment {
    pub id: i64,
    pub name: Option<String>,
    /// The `type` column.
    pub kind: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub inventory_number: Option<String>,
    pub location: Option<String>,
    pub status: Option<String>,
    pub purchase_date: Option<String>,
    pub warranty_end_date: Option<String>,
    pub last_maintenance_date: Option<String>,
    pub responsible_person: Option<String>,
    pub notes: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub created_by_id: Option<i64>,
    pub updated_by_id: Option<i64>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Maintenance {
    pub id: i64,
    pub action_type: Option<String>,
    pub description: Option<String>,
    pub performed_at: Option<String>,
    pub equipment_id: Option<i64>,
    pub performed_by: Option<i64>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct AuditRow {
    pub id: i64,
    pub action_type: Option<String>,
    pub description: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub old_values: Option<String>,
    pub new_values: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: Option<String>,
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Notification {
    pub id: i64,
    pub title: Option<String>,
    pub message: Option<String>,
    pub notification_type: Option<String>,
    pub is_read: Option<bool>,
    pub created_at: Option<String>,
    pub related_id: Option<i64>,
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Attachment {
    pub id: i64,
    pub filename: Option<String>,
    pub stored_filename: Option<String>,
    pub file_path: Option<String>,
    pub file_size: Option<i64>,
    pub content_type: Option<String>,
    pub description: Option<String>,
    pub uploaded_at: Option<String>,
    pub ticket_id: Option<i64>,
    pub uploaded_by: Option<i64>,
}

/// Rows of `table` with ids above `after`, in id order, at most `limit` of them. Datetimes are
/// cast to text so both SQLite and PostgreSQL sources read the same way.
pub async fn rows<T: FromQueryResult, C: ConnectionTrait>(
    conn: &C,
    table: &'static str,
    columns: &str,
    after: i64,
    limit: u64,
) -> Result<Vec<T>, RepoError> {
    let sql = format!("SELECT {columns} FROM {table} WHERE id > {after} ORDER BY id LIMIT {limit}");
    Ok(
        T::find_by_statement(Statement::from_string(conn.get_database_backend(), sql))
            .all(conn)
            .await?,
    )
}

/// How many rows `table` has.
pub async fn count<C: ConnectionTrait>(conn: &C, table: &'static str) -> Result<u64, RepoError> {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?;
    Ok(row
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// The column lists, with datetimes read as text.
pub mod columns {
    pub const USERS: &str = "id, email, username, hashed_password, full_name, role, is_active";
    pub const CATEGORIES: &str = "id, name, description, is_active, CAST(created_at AS TEXT) AS created_at, CAST(updated_at AS TEXT) AS updated_at";
    pub const TICKETS: &str = "id, title, description, status, priority, resolution, room_number, CAST(created_at AS TEXT) AS created_at, CAST(updated_at AS TEXT) AS updated_at, is_hidden_for_creator, creator_id, assigned_to_id, category_id, equipment_id";
    pub const MESSAGES: &str =
        "id, message, CAST(created_at AS TEXT) AS created_at, ticket_id, user_id";
    pub const EQUIPMENT: &str = "id, name, type AS kind, model, serial_number, inventory_number, location, status, CAST(purchase_date AS TEXT) AS purchase_date, CAST(warranty_end_date AS TEXT) AS warranty_end_date, CAST(last_maintenance_date AS TEXT) AS last_maintenance_date, responsible_person, notes, CAST(created_at AS TEXT) AS created_at, CAST(updated_at AS TEXT) AS updated_at, created_by_id, updated_by_id";
    pub const MAINTENANCE: &str = "id, action_type, description, CAST(performed_at AS TEXT) AS performed_at, equipment_id, performed_by";
    pub const AUDIT: &str = "id, action_type, description, entity_type, entity_id, old_values, new_values, ip_address, user_agent, CAST(created_at AS TEXT) AS created_at, user_id";
    pub const NOTIFICATIONS: &str = "id, title, message, notification_type, is_read, CAST(created_at AS TEXT) AS created_at, related_id, user_id";
    pub const ATTACHMENTS: &str = "id, filename, stored_filename, file_path, file_size, content_type, description, CAST(uploaded_at AS TEXT) AS uploaded_at, ticket_id, uploaded_by";
}

/// Every user id the old database refers to anywhere, so that missing users can be stood in
/// for before anything that points at them is written.
pub async fn referenced_user_ids<C: ConnectionTrait>(conn: &C) -> Result<Vec<i64>, RepoError> {
    let sql = "SELECT creator_id AS id FROM tickets UNION SELECT assigned_to_id FROM tickets \
               UNION SELECT user_id FROM ticket_messages UNION SELECT created_by_id FROM equipment \
               UNION SELECT updated_by_id FROM equipment UNION SELECT performed_by FROM maintenance \
               UNION SELECT user_id FROM audit_logs UNION SELECT uploaded_by FROM attachments";
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?;
    let mut ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<i64>>("", "id").ok().flatten())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
