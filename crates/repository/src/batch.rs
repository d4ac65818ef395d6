//! Writes whose answers nobody reads, sent together. On SQLite every statement is a round
//! trip to the connection's worker thread, made while a unit of work holds the single writer
//! that every other write waits for. A batch goes as one multi-statement query (sqlx runs each
//! statement in turn with its own parameters), so the counters, notifications and audit row of
//! a change cost one round trip.
//! On PostgreSQL (which takes one statement per parameterised query) they run one by one.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value, Values};

use crate::RepoError;

/// Statements sent in one round trip at most. sqlx prepares and caches a multi-statement
/// query as a whole, so a bulk write (the importer's thousands of audit rows) goes in runs of
/// the same shape rather than as one ever-different giant.
const PER_TRIP: usize = 64;

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

    /// Runs every statement, in order, in the caller's unit of work.
    pub async fn run<C: ConnectionTrait>(self, conn: &C) -> Result<(), RepoError> {
        match self.backend {
            DbBackend::Sqlite => {
                for trip in self.statements.chunks(PER_TRIP) {
                    let mut sql = String::new();
                    let mut values: Vec<Value> = Vec::new();
                    for s in trip {
                        sql.push_str(&s.sql);
                        sql.push_str(";\n");
                        values.extend(s.values.iter().flat_map(|v| v.0.iter().cloned()));
                    }
                    conn.execute_raw(Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        sql,
                        Values(values),
                    ))
                    .await?;
                }
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
