//! Mail in, keyed by sender and message id: a second delivery is a duplicate only when the
//! same sender sent a message with the same `Message-ID` (compared without case, as RFC 5322
//! ids are in practice); before, anyone who knew or guessed an id could have a later
//! legitimate message from someone else dropped as "duplicate". `message_key` is the id in
//! lower case; the unique index (`message_key`, `sender`) also serves the lookup of the ticket
//! a reply's `In-Reply-To` names.
//!
//! SQLite cannot drop the old column's unique constraint, so there the table is rebuilt; on
//! PostgreSQL the constraint is dropped in place. Either way the old version's mail gateway
//! must not run during the upgrade (it would not fill `message_key`).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The rows carried over: one per (lower-cased id, sender), the first delivered.
const COPY: &str = "INSERT INTO inbound_mail_v2 \
    (id, message_id, message_key, sender, subject, received_at, outcome, ticket_id, detail, raw) \
    SELECT id, message_id, lower(message_id), sender, subject, received_at, outcome, ticket_id, \
    detail, raw FROM inbound_mail WHERE id IN \
    (SELECT min(id) FROM inbound_mail GROUP BY lower(message_id), sender)";

const SQLITE: [&str; 5] = [
    "CREATE TABLE inbound_mail_v2 ( \
        id integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
        message_id varchar(998) NOT NULL, \
        message_key varchar(998) NOT NULL, \
        sender varchar(320) NOT NULL, \
        subject text NOT NULL, \
        received_at timestamp_text NOT NULL, \
        outcome varchar(16) NOT NULL, \
        ticket_id bigint NULL, \
        detail text NULL, \
        raw blob NULL)",
    COPY,
    "DROP TABLE inbound_mail",
    "ALTER TABLE inbound_mail_v2 RENAME TO inbound_mail",
    "CREATE UNIQUE INDEX ux_inbound_mail_key ON inbound_mail (message_key, sender)",
];

const POSTGRES: [&str; 5] = [
    "ALTER TABLE inbound_mail ADD COLUMN message_key varchar(998)",
    "DELETE FROM inbound_mail WHERE id NOT IN \
        (SELECT min(id) FROM inbound_mail GROUP BY lower(message_id), sender)",
    "UPDATE inbound_mail SET message_key = lower(message_id)",
    "ALTER TABLE inbound_mail ALTER COLUMN message_key SET NOT NULL, \
        DROP CONSTRAINT IF EXISTS inbound_mail_message_id_key",
    "CREATE UNIQUE INDEX ux_inbound_mail_key ON inbound_mail (message_key, sender)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let steps: &[&str] = match conn.get_database_backend() {
            DbBackend::Postgres => &POSTGRES,
            _ => &SQLITE,
        };
        for sql in steps {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP INDEX IF EXISTS ux_inbound_mail_key")
            .await?;
        // Ids that differ only by sender cannot all keep a unique message_id: the later go.
        conn.execute_unprepared(
            "DELETE FROM inbound_mail WHERE id NOT IN \
             (SELECT min(id) FROM inbound_mail GROUP BY message_id)",
        )
        .await?;
        conn.execute_unprepared(
            "CREATE UNIQUE INDEX ux_inbound_mail_message_id ON inbound_mail (message_id)",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("inbound_mail"))
                    .drop_column(Alias::new("message_key"))
                    .to_owned(),
            )
            .await
    }
}
