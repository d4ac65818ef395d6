//! The audit log, append-only. `old_values`/`new_values` are kept as the exact JSON text that
//! was written, so the row's bytes never change after the fact.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLogs {
    Table,
    Id,
    ActionType,
    Description,
    EntityType,
    EntityId,
    OldValues,
    NewValues,
    IpAddress,
    UserAgent,
    CreatedAt,
    UserId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLogs::Table)
                    .col(big_pk_auto(AuditLogs::Id))
                    .col(string_len(AuditLogs::ActionType, 32))
                    .col(text(AuditLogs::Description))
                    .col(string_len_null(AuditLogs::EntityType, 32))
                    .col(big_integer_null(AuditLogs::EntityId))
                    .col(text_null(AuditLogs::OldValues))
                    .col(text_null(AuditLogs::NewValues))
                    .col(string_len_null(AuditLogs::IpAddress, 64))
                    .col(string_len_null(AuditLogs::UserAgent, 512))
                    .col(date_time(AuditLogs::CreatedAt))
                    .col(big_integer_null(AuditLogs::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_logs_user")
                            .from(AuditLogs::Table, AuditLogs::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_audit_logs_created_at", AuditLogs::CreatedAt),
            ("ix_audit_logs_user", AuditLogs::UserId),
            ("ix_audit_logs_action_type", AuditLogs::ActionType),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLogs::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_logs_entity")
                    .table(AuditLogs::Table)
                    .col(AuditLogs::EntityType)
                    .col(AuditLogs::EntityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLogs::Table).to_owned())
            .await
    }
}
