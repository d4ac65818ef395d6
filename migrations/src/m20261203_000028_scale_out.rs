//! Several instances with nothing shared but the database:
//! - `stored_files`/`file_chunks`: attachments and exports kept in the database (streamed in
//!   chunks), for deployments without a shared disk. A file's chunks go with its attachment
//!   row, in the same transaction, by trigger.
//! - `rate_windows`: how much of each client's one-minute budget the whole deployment has
//!   handed out, so a rate limit holds across instances.
//! - On PostgreSQL, commits that other instances must hear about (notifications, audit rows,
//!   session revocations, queued jobs) send a `NOTIFY fixdesk_commits` — delivered at commit,
//!   once per transaction and table — so they react at once instead of at their next poll.
//!
//! Expand-only: version N, which knows none of these, keeps serving while N+1 runs it.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COMMON: [&str; 3] = [
    "CREATE TABLE stored_files (\
       file_key VARCHAR(300) NOT NULL PRIMARY KEY, \
       size BIGINT NOT NULL, \
       complete BOOLEAN NOT NULL, \
       created_at TIMESTAMP NOT NULL)",
    "CREATE INDEX ix_stored_files_incomplete ON stored_files (created_at) WHERE NOT complete",
    "CREATE TABLE rate_windows (\
       client_key BIGINT NOT NULL, \
       window_start BIGINT NOT NULL, \
       used BIGINT NOT NULL, \
       PRIMARY KEY (client_key, window_start))",
];

const SQLITE: [&str; 2] = [
    "CREATE TABLE file_chunks (\
       file_key VARCHAR(300) NOT NULL REFERENCES stored_files (file_key) ON DELETE CASCADE, \
       seq INTEGER NOT NULL, \
       data BLOB NOT NULL, \
       PRIMARY KEY (file_key, seq)) WITHOUT ROWID",
    "CREATE TRIGGER stored_files_attachment_delete AFTER DELETE ON attachments BEGIN \
       DELETE FROM file_chunks WHERE file_key = OLD.file_path; \
       DELETE FROM stored_files WHERE file_key = OLD.file_path; END",
];

const POSTGRES: [&str; 4] = [
    "CREATE TABLE file_chunks (\
       file_key VARCHAR(300) NOT NULL REFERENCES stored_files (file_key) ON DELETE CASCADE, \
       seq INTEGER NOT NULL, \
       data BYTEA NOT NULL, \
       PRIMARY KEY (file_key, seq))",
    "CREATE FUNCTION stored_files_attachment_delete() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN DELETE FROM stored_files WHERE file_key = OLD.file_path; RETURN NULL; END $$",
    "CREATE TRIGGER stored_files_attachment_delete AFTER DELETE ON attachments \
     FOR EACH ROW EXECUTE FUNCTION stored_files_attachment_delete()",
    "CREATE FUNCTION fixdesk_notify_commit() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN PERFORM pg_notify('fixdesk_commits', TG_TABLE_NAME); RETURN NULL; END $$",
];

/// Tables whose new rows other instances act on.
const NOTIFYING: [&str; 4] = ["notifications", "audit_logs", "session_revocations", "jobs"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DbBackend::Postgres;
        let own: &[&str] = if postgres { &POSTGRES } else { &SQLITE };
        for sql in COMMON.iter().chain(own) {
            conn.execute_unprepared(sql).await?;
        }
        if postgres {
            for table in NOTIFYING {
                conn.execute_unprepared(&format!(
                    "CREATE TRIGGER notify_{table} AFTER INSERT OR UPDATE ON {table} \
                     FOR EACH STATEMENT EXECUTE FUNCTION fixdesk_notify_commit()"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DbBackend::Postgres;
        let mut sql: Vec<String> = Vec::new();
        if postgres {
            for table in NOTIFYING {
                sql.push(format!("DROP TRIGGER IF EXISTS notify_{table} ON {table}"));
            }
            sql.push("DROP FUNCTION IF EXISTS fixdesk_notify_commit()".into());
            sql.push("DROP TRIGGER IF EXISTS stored_files_attachment_delete ON attachments".into());
            sql.push("DROP FUNCTION IF EXISTS stored_files_attachment_delete()".into());
        } else {
            sql.push("DROP TRIGGER IF EXISTS stored_files_attachment_delete".into());
        }
        for table in ["file_chunks", "stored_files", "rate_windows"] {
            sql.push(format!("DROP TABLE IF EXISTS {table}"));
        }
        for s in sql {
            conn.execute_unprepared(&s).await?;
        }
        Ok(())
    }
}
