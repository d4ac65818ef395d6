//! Full-text search without a search server: one index of documents — a ticket's title and
//! description (and room), each message (internal notes marked apart, so requesters never
//! find a ticket by a note), each item of equipment — kept by triggers, so every write path
//! (the API, imports, the operator's commands) updates it in the transaction of the write.
//!
//! SQLite: an FTS5 table with the trigram tokenizer (substrings in any script, case and
//! diacritics folded; the service stems Russian and English words before asking, so
//! "принтеры" finds "принтера"). PostgreSQL: a table with a stored `tsvector` in the Russian
//! and English configurations (their stemmers) under a GIN index; hyphens count as spaces
//! there, or PostgreSQL's parser reads `INV-0042` as `inv` and the number `-0042`.
//!
//! A document's id is the row's id × 4 + its slot (0 ticket, 1 message, 3 equipment), so a
//! trigger finds its document without a lookup. Existing rows are indexed by the `search_rebuild`
//! job this migration queues (the same one `fixdesk-migrate search rebuild` runs).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &[&str] = &[
    "CREATE VIRTUAL TABLE search_index USING fts5(title, body, kind UNINDEXED, \
     ticket_id UNINDEXED, tokenize = 'trigram remove_diacritics 1')",
    "CREATE TRIGGER search_ticket_insert AFTER INSERT ON tickets BEGIN \
     INSERT INTO search_index (rowid, title, body, kind, ticket_id) VALUES \
     (new.id * 4, new.title, new.description || ' ' || new.room_number, 't', new.id); END",
    "CREATE TRIGGER search_ticket_update AFTER UPDATE OF title, description, room_number \
     ON tickets BEGIN DELETE FROM search_index WHERE rowid = old.id * 4; \
     INSERT INTO search_index (rowid, title, body, kind, ticket_id) VALUES \
     (new.id * 4, new.title, new.description || ' ' || new.room_number, 't', new.id); END",
    "CREATE TRIGGER search_ticket_delete AFTER DELETE ON tickets BEGIN \
     DELETE FROM search_index WHERE rowid = old.id * 4; END",
    "CREATE TRIGGER search_message_insert AFTER INSERT ON ticket_messages BEGIN \
     INSERT INTO search_index (rowid, title, body, kind, ticket_id) VALUES \
     (new.id * 4 + 1, '', new.message, CASE WHEN new.is_internal THEN 'n' ELSE 'm' END, \
     new.ticket_id); END",
    "CREATE TRIGGER search_message_update AFTER UPDATE OF message, is_internal \
     ON ticket_messages BEGIN DELETE FROM search_index WHERE rowid = old.id * 4 + 1; \
     INSERT INTO search_index (rowid, title, body, kind, ticket_id) VALUES \
     (new.id * 4 + 1, '', new.message, CASE WHEN new.is_internal THEN 'n' ELSE 'm' END, \
     new.ticket_id); END",
    "CREATE TRIGGER search_message_delete AFTER DELETE ON ticket_messages BEGIN \
     DELETE FROM search_index WHERE rowid = old.id * 4 + 1; END",
    "CREATE TRIGGER search_equipment_insert AFTER INSERT ON equipment \
     WHEN new.deleted_at IS NULL BEGIN \
     INSERT INTO search_index (rowid, title, body, kind, ticket_id) VALUES \
     (new.id * 4 + 3, new.name, concat_ws(' ', new.model, new.serial_number, \
     new.inventory_number, new.location), 'e', NULL); END",
    "CREATE TRIGGER search_equipment_update AFTER UPDATE OF name, model, serial_number, \
     inventory_number, location, deleted_at ON equipment BEGIN \
     DELETE FROM search_index WHERE rowid = old.id * 4 + 3; \
     INSERT INTO search_index (rowid, title, body, kind, ticket_id) \
     SELECT new.id * 4 + 3, new.name, concat_ws(' ', new.model, new.serial_number, \
     new.inventory_number, new.location), 'e', NULL WHERE new.deleted_at IS NULL; END",
    "CREATE TRIGGER search_equipment_delete AFTER DELETE ON equipment BEGIN \
     DELETE FROM search_index WHERE rowid = old.id * 4 + 3; END",
];

const POSTGRES: &[&str] = &[
    "CREATE TABLE search_index (doc_id bigint PRIMARY KEY, kind char(1) NOT NULL, \
     ticket_id bigint NULL, title text NOT NULL, body text NOT NULL, \
     tsv tsvector GENERATED ALWAYS AS ( \
     setweight(to_tsvector('russian', translate(title, '-', ' ')), 'A') || \
     setweight(to_tsvector('english', translate(title, '-', ' ')), 'A') || \
     setweight(to_tsvector('russian', translate(body, '-', ' ')), 'B') || \
     setweight(to_tsvector('english', translate(body, '-', ' ')), 'B')) STORED)",
    "CREATE INDEX ix_search_index_tsv ON search_index USING GIN (tsv)",
    "CREATE INDEX ix_search_index_ticket ON search_index (ticket_id)",
    "CREATE FUNCTION search_index_ticket() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
     IF TG_OP = 'DELETE' THEN DELETE FROM search_index WHERE doc_id = OLD.id * 4; RETURN OLD; \
     END IF; \
     INSERT INTO search_index (doc_id, kind, ticket_id, title, body) VALUES \
     (NEW.id * 4, 't', NEW.id, NEW.title, NEW.description || ' ' || NEW.room_number) \
     ON CONFLICT (doc_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body; \
     RETURN NEW; END $$",
    "CREATE TRIGGER search_ticket_insert AFTER INSERT ON tickets \
     FOR EACH ROW EXECUTE FUNCTION search_index_ticket()",
    "CREATE TRIGGER search_ticket_update AFTER UPDATE OF title, description, room_number \
     ON tickets FOR EACH ROW EXECUTE FUNCTION search_index_ticket()",
    "CREATE TRIGGER search_ticket_delete AFTER DELETE ON tickets \
     FOR EACH ROW EXECUTE FUNCTION search_index_ticket()",
    "CREATE FUNCTION search_index_message() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
     IF TG_OP = 'DELETE' THEN DELETE FROM search_index WHERE doc_id = OLD.id * 4 + 1; \
     RETURN OLD; END IF; \
     INSERT INTO search_index (doc_id, kind, ticket_id, title, body) VALUES \
     (NEW.id * 4 + 1, CASE WHEN NEW.is_internal THEN 'n' ELSE 'm' END, NEW.ticket_id, '', \
     NEW.message) ON CONFLICT (doc_id) DO UPDATE SET kind = EXCLUDED.kind, \
     body = EXCLUDED.body; RETURN NEW; END $$",
    "CREATE TRIGGER search_message_insert AFTER INSERT ON ticket_messages \
     FOR EACH ROW EXECUTE FUNCTION search_index_message()",
    "CREATE TRIGGER search_message_update AFTER UPDATE OF message, is_internal \
     ON ticket_messages FOR EACH ROW EXECUTE FUNCTION search_index_message()",
    "CREATE TRIGGER search_message_delete AFTER DELETE ON ticket_messages \
     FOR EACH ROW EXECUTE FUNCTION search_index_message()",
    "CREATE FUNCTION search_index_equipment() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
     IF TG_OP = 'DELETE' OR NEW.deleted_at IS NOT NULL THEN \
     DELETE FROM search_index WHERE doc_id = OLD.id * 4 + 3; \
     IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF; \
     INSERT INTO search_index (doc_id, kind, ticket_id, title, body) VALUES \
     (NEW.id * 4 + 3, 'e', NULL, NEW.name, concat_ws(' ', NEW.model, NEW.serial_number, \
     NEW.inventory_number, NEW.location)) \
     ON CONFLICT (doc_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body; \
     RETURN NEW; END $$",
    "CREATE TRIGGER search_equipment_insert AFTER INSERT ON equipment \
     FOR EACH ROW EXECUTE FUNCTION search_index_equipment()",
    "CREATE TRIGGER search_equipment_update AFTER UPDATE OF name, model, serial_number, \
     inventory_number, location, deleted_at ON equipment \
     FOR EACH ROW EXECUTE FUNCTION search_index_equipment()",
    "CREATE TRIGGER search_equipment_delete AFTER DELETE ON equipment \
     FOR EACH ROW EXECUTE FUNCTION search_index_equipment()",
];

/// Room numbers are found exactly, by this index.
const ROOM_INDEX: &str = "CREATE INDEX ix_tickets_room_number ON tickets (room_number)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let statements = match conn.get_database_backend() {
            DbBackend::Postgres => POSTGRES,
            _ => SQLITE,
        };
        for sql in statements.iter().chain([&ROOM_INDEX]) {
            conn.execute_unprepared(sql).await?;
        }
        let now = "CURRENT_TIMESTAMP";
        conn.execute_unprepared(&format!(
            "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, progress, \
             created_at, updated_at) \
             SELECT 'search_rebuild', '{{}}', 'queued', 0, 5, {now}, 0, {now}, {now} \
             WHERE EXISTS (SELECT 1 FROM tickets) OR EXISTS (SELECT 1 FROM equipment)"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DbBackend::Postgres;
        for table in ["tickets", "ticket_messages", "equipment"] {
            let what = table.trim_end_matches('s').replace("ticket_", "");
            for op in ["insert", "update", "delete"] {
                let on = if postgres {
                    format!(" ON {table}")
                } else {
                    String::new()
                };
                conn.execute_unprepared(&format!("DROP TRIGGER IF EXISTS search_{what}_{op}{on}"))
                    .await?;
            }
        }
        if postgres {
            for f in ["ticket", "message", "equipment"] {
                conn.execute_unprepared(&format!("DROP FUNCTION IF EXISTS search_index_{f}()"))
                    .await?;
            }
        }
        conn.execute_unprepared("DROP TABLE IF EXISTS search_index")
            .await?;
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_tickets_room_number")
            .await?;
        Ok(())
    }
}
