//! The working list in due order breaks ties by priority (high first), then by number: the
//! index of running due times carries the priority between them, so "overdue", "due today"
//! and the due-sorted queue still read one ordered index range, with no sort.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn index(manager: &SchemaManager<'_>, columns: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared("DROP INDEX ix_tickets_sla_due_open")
        .await?;
    db.execute_unprepared(&format!(
        "CREATE INDEX ix_tickets_sla_due_open ON tickets ({columns})"
    ))
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(manager, "sla_due_open, priority DESC, id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(manager, "sla_due_open, id").await
    }
}
