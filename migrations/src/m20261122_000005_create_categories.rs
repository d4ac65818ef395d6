//! Ticket categories; their names double as equipment types.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum TicketCategories {
    Table,
    Id,
    Name,
    Description,
    IsActive,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TicketCategories::Table)
                    .col(big_pk_auto(TicketCategories::Id))
                    .col(string_len_uniq(TicketCategories::Name, 100))
                    .col(string_len_null(TicketCategories::Description, 1000))
                    .col(boolean(TicketCategories::IsActive).default(true))
                    .col(date_time(TicketCategories::CreatedAt))
                    .col(date_time_null(TicketCategories::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TicketCategories::Table).to_owned())
            .await
    }
}
