//! Canned replies: shared (no owner) or personal texts staff insert into replies.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CannedReplies {
    Table,
    Id,
    OwnerId,
    Title,
    Body,
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
            .create_table(
                Table::create()
                    .table(CannedReplies::Table)
                    .col(
                        ColumnDef::new(CannedReplies::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CannedReplies::OwnerId).big_integer().null())
                    .col(
                        ColumnDef::new(CannedReplies::Title)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(ColumnDef::new(CannedReplies::Body).text().not_null())
                    .col(
                        ColumnDef::new(CannedReplies::CreatedAt)
                            .date_time()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CannedReplies::Table, CannedReplies::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CannedReplies::Table).to_owned())
            .await
    }
}
