//! Backups the desk made on its schedule: one row per attempt, so the last success and failure
//! can be shown (on `/ready` and the admins' page) and two instances never back up at once —
//! at most one row is `running` (a unique index over nothing but that state).
//!
//! Expand-only: a new table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Backups {
    Table,
    Id,
    JobId,
    StartedAt,
    FinishedAt,
    State,
    File,
    Size,
    Error,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Backups::Table)
                    .col(
                        ColumnDef::new(Backups::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer_null(Backups::JobId))
                    .col(date_time(Backups::StartedAt))
                    .col(date_time_null(Backups::FinishedAt))
                    .col(string_len(Backups::State, 16))
                    .col(string_len_null(Backups::File, 1000))
                    .col(big_integer_null(Backups::Size))
                    .col(text_null(Backups::Error))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_backups_one_running ON backups ((state = 'running')) \
                 WHERE state = 'running'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Backups::Table).to_owned())
            .await
    }
}
