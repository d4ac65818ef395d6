//! Writes whose answers nobody reads, sent together. On SQLite every statement is a round
//! trip to the connection's worker thread, and while a unit of work holds the single writer
//! those hand-offs — not the work — are what limits how many writes a second fixdesk takes.
//! A batch goes as one multi-statement query (sqlx runs each statement in turn with its own
//! parameters), so the counters, notifications and audit row of a change cost one round trip.
//! On PostgreSQL (which takes one statement per parameterised query) they run one by one.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value, Values};

use crate::RepoError;

#[derive(Debug)]
pub struct Batch {
    backend: DbBackend,
    statements: Vec<Statement>,
}

impl Batch {
    pub fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            statements: Vec::new(),
        }
    }

    /// An empty batch for the database behind `conn`.
    pub fn on<C: ConnectionTrait>(conn: &C) -> Self {
        Self::new(conn.get_database_backend())
    }

    /// For statements built with sea-query or sea-orm's `QueryTrait::build`.
    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    pub fn push(&mut self, statement: Statement) {
        self.statements.push(statement);
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Runs every statement, in order, in the caller's unit of work.
    pub async fn run<C: ConnectionTrait>(self, conn: &C) -> Result<(), RepoError> {
        match self.backend {
            DbBackend::Sqlite => {
                if self.statements.is_empty() {
                    return Ok(());
                }
                let mut sql = String::new();
                let mut values: Vec<Value> = Vec::new();
                for s in self.statements {
                    sql.push_str(&s.sql);
                    sql.push_str(";\n");
                    values.extend(s.values.map(|v| v.0).unwrap_or_default());
                }
                conn.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    sql,
                    Values(values),
                ))
                .await?;
            }
            _ => {
                for s in self.statements {
                    conn.execute_raw(s).await?;
                }
            }
        }
        Ok(())
    }
}
