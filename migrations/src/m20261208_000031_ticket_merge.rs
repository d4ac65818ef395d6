//! Duplicates merged into one ticket: the duplicate remembers which ticket it was merged into
//! (`merged_into_id`, indexed only where set, so ordinary tickets pay nothing for it), and the
//! people who follow a ticket they did not file — the requester of a merged duplicate, or
//! someone who reported the same broken item — read it and hear of its progress.
//!
//! Expand-only: a nullable column and a new table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    MergedIntoId,
}

#[derive(DeriveIden)]
enum TicketFollowers {
    Table,
    TicketId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .add_column(ColumnDef::new(Tickets::MergedIntoId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_tickets_merged_into ON tickets (merged_into_id) \
                 WHERE merged_into_id IS NOT NULL",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TicketFollowers::Table)
                    .col(big_integer(TicketFollowers::TicketId))
                    .col(big_integer(TicketFollowers::UserId))
                    .col(date_time(TicketFollowers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TicketFollowers::TicketId)
                            .col(TicketFollowers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TicketFollowers::Table, TicketFollowers::TicketId)
                            .to(Tickets::Table, Tickets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TicketFollowers::Table, TicketFollowers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TicketFollowers::Table).to_owned())
            .await?;
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_tickets_merged_into")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .drop_column(Tickets::MergedIntoId)
                    .to_owned(),
            )
            .await
    }
}
