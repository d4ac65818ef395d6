//! The audit log, append-only and tamper-evident. `old_values`/`new_values` are kept as the
//! exact JSON text that was written. Each row carries the hash of the row before it and its own
//! hash over both; `audit_chain` holds the newest hash, so every append reads and moves one
//! row (which also serialises appends) and a deleted or edited row breaks the chain.

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
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditChain {
    Table,
    Id,
    LastHash,
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
                    .col(string_len(AuditLogs::PrevHash, 64))
                    .col(string_len(AuditLogs::Hash, 64))
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
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditChain::Table)
                    .col(integer(AuditChain::Id).primary_key())
                    .col(string_len(AuditChain::LastHash, 64))
                    .to_owned(),
            )
            .await?;
        let mut head = Query::insert();
        head.into_table(AuditChain::Table)
            .columns([AuditChain::Id, AuditChain::LastHash])
            .values([1.into(), fixdesk_domain::audit::GENESIS.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        manager.exec_stmt(head).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditChain::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditLogs::Table).to_owned())
            .await
    }
}
