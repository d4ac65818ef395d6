//! Revocations as events: each instance reads the ones written since it last looked and drops
//! those sessions from its cache, so a session ended on one instance is refused by every other
//! within a second (rows older than the cache lifetime are no longer needed and are pruned).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SessionRevocations {
    Table,
    Id,
    UserId,
    SessionId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SessionRevocations::Table)
                    .col(big_pk_auto(SessionRevocations::Id))
                    .col(big_integer(SessionRevocations::UserId))
                    .col(string_len_null(SessionRevocations::SessionId, 64))
                    .col(date_time(SessionRevocations::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SessionRevocations::Table).to_owned())
            .await
    }
}
