//! Writing imported rows with the ids they had in the old database. The importer has already
//! repaired every value; these functions only store them.

use chrono::NaiveDateTime;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, sea_query::OnConflict,
};

use crate::{
    RepoError,
    entities::{
        attachment, category, equipment, maintenance, notification, ticket, ticket_message, user,
    },
};

/// Users in the target, live and deleted, and tickets: what decides whether it is empty.
pub async fn target_rows<C: ConnectionTrait>(conn: &C) -> Result<(u64, u64), RepoError> {
    Ok((
        user::Entity::find().count(conn).await?,
        ticket::Entity::find().count(conn).await?,
    ))
}

/// Inserts users, or replaces a row with the same id (the seeded admin).
pub async fn users<C: ConnectionTrait>(conn: &C, rows: Vec<user::Model>) -> Result<(), RepoError> {
    for m in rows {
        let am: user::ActiveModel = m.into();
        user::Entity::insert(am.reset_all())
            .on_conflict(
                OnConflict::column(user::Column::Id)
                    .update_columns([
                        user::Column::Username,
                        user::Column::Email,
                        user::Column::HashedPassword,
                        user::Column::FullName,
                        user::Column::Role,
                        user::Column::IsActive,
                        user::Column::CreatedAt,
                        user::Column::UpdatedAt,
                        user::Column::DeletedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Moves a seeded account out of the way of an imported one: it is marked deleted under a
/// name that cannot collide.
pub async fn retire_user<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::Username,
            sea_orm::sea_query::Expr::value(format!("seed_admin_{id}")),
        )
        .col_expr(
            user::Column::DeletedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            user::Column::IsActive,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(user::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

macro_rules! bulk {
    ($name:ident, $module:ident) => {
        /// Inserts the rows as they are, ids included, a few hundred per statement.
        pub async fn $name<C: ConnectionTrait>(
            conn: &C,
            rows: Vec<$module::Model>,
        ) -> Result<(), RepoError> {
            let mut rows = rows.into_iter().peekable();
            while rows.peek().is_some() {
                let chunk: Vec<$module::ActiveModel> = rows
                    .by_ref()
                    .take(400)
                    .map(|m| {
                        let am: $module::ActiveModel = m.into();
                        am.reset_all()
                    })
                    .collect();
                $module::Entity::insert_many(chunk)
                    .exec_without_returning(conn)
                    .await?;
            }
            Ok(())
        }
    };
}

bulk!(categories, category);
bulk!(equipment_items, equipment);
bulk!(insert_tickets, ticket);

/// Inserts tickets as they are, ids included, with their search text filled in.
pub async fn tickets<C: ConnectionTrait>(
    conn: &C,
    mut rows: Vec<ticket::Model>,
) -> Result<(), RepoError> {
    for t in &mut rows {
        t.search_text = crate::tickets::search_text(&t.title, &t.description);
    }
    insert_tickets(conn, rows).await
}
bulk!(messages, ticket_message);
bulk!(maintenance_records, maintenance);
bulk!(notifications, notification);
bulk!(attachments, attachment);

/// Sets every ticket's message count and last writer from its thread.
pub async fn recount_messages<C: ConnectionTrait>(conn: &C) -> Result<(), RepoError> {
    conn.execute_unprepared(
        "UPDATE tickets SET messages_count = (SELECT COUNT(*) FROM ticket_messages m WHERE m.ticket_id = tickets.id), \
         last_message_by = (SELECT m.user_id FROM ticket_messages m WHERE m.ticket_id = tickets.id ORDER BY m.id DESC LIMIT 1)",
    )
    .await?;
    Ok(())
}

/// Makes every item's last maintenance date follow its newest record, where it has any.
pub async fn refresh_last_maintenance<C: ConnectionTrait>(conn: &C) -> Result<(), RepoError> {
    conn.execute_unprepared(
        "UPDATE equipment SET last_maintenance_date = (SELECT MAX(performed_at) FROM maintenance m WHERE m.equipment_id = equipment.id) \
         WHERE EXISTS (SELECT 1 FROM maintenance m WHERE m.equipment_id = equipment.id)",
    )
    .await?;
    Ok(())
}

/// After rows were inserted with their own ids, makes the id sequences continue after the
/// highest (PostgreSQL; SQLite's AUTOINCREMENT already does).
pub async fn advance_sequences<C: ConnectionTrait>(conn: &C) -> Result<(), RepoError> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in [
        "users",
        "ticket_categories",
        "equipment",
        "tickets",
        "ticket_messages",
        "maintenance",
        "notifications",
        "attachments",
        "audit_logs",
    ] {
        conn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}

/// The entity types the importer fills, for the service to build rows from.
pub mod rows {
    pub use crate::entities::{
        attachment::Model as Attachment, category::Model as Category,
        equipment::Model as Equipment, maintenance::Model as Maintenance,
        notification::Model as Notification, ticket::Model as Ticket,
        ticket_message::Model as Message, user::Model as User,
    };
}
