//! The durable job queue. A job is a row written in the unit of work that causes it; workers
//! take one by setting a lease, so a job is never run twice at once, and one whose worker died
//! is taken again when its lease runs out.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    State,
    Attempts,
    MaxAttempts,
    RunAfter,
    LockedBy,
    LockedUntil,
    LastError,
    Progress,
    Result,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(big_pk_auto(Jobs::Id))
                    .col(string_len(Jobs::Kind, 32))
                    .col(text(Jobs::Payload))
                    .col(
                        string_len(Jobs::State, 16).check(
                            Expr::col(Jobs::State).is_in(["queued", "running", "done", "dead"]),
                        ),
                    )
                    .col(integer(Jobs::Attempts).default(0))
                    .col(integer(Jobs::MaxAttempts).default(5))
                    .col(date_time(Jobs::RunAfter))
                    .col(string_len_null(Jobs::LockedBy, 64))
                    .col(date_time_null(Jobs::LockedUntil))
                    .col(text_null(Jobs::LastError))
                    .col(integer(Jobs::Progress).default(0))
                    .col(text_null(Jobs::Result))
                    .col(big_integer_null(Jobs::CreatedBy))
                    .col(date_time(Jobs::CreatedAt))
                    .col(date_time(Jobs::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_jobs_state_run_after")
                    .table(Jobs::Table)
                    .col(Jobs::State)
                    .col(Jobs::RunAfter)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await
    }
}
