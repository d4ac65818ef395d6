//! The sign-in guard counts an account's recent failures and looks up the addresses it signed
//! in from on every login attempt; this index keeps that a short range scan even for accounts
//! whose audit history runs to millions of rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLogs {
    Table,
    UserId,
    ActionType,
    CreatedAt,
}

const NAME: &str = "ix_audit_logs_user_action_time";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(AuditLogs::Table)
                    .col(AuditLogs::UserId)
                    .col(AuditLogs::ActionType)
                    .col(AuditLogs::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(AuditLogs::Table).to_owned())
            .await
    }
}
