//! Notifications, stored per user and written in the same transaction as their cause, and each
//! user's choice of which kinds to receive.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Title,
    Message,
    NotificationType,
    RelatedId,
    IsRead,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationSettings {
    Table,
    UserId,
    Kind,
    Enabled,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::UserId))
                    .col(string_len(Notifications::Title, 200))
                    .col(text(Notifications::Message))
                    .col(string_len(Notifications::NotificationType, 32))
                    .col(big_integer_null(Notifications::RelatedId))
                    .col(boolean(Notifications::IsRead).default(false))
                    .col(date_time(Notifications::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_user")
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notifications_user_id")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notifications_user_unread")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::IsRead)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationSettings::Table)
                    .col(big_integer(NotificationSettings::UserId))
                    .col(string_len(NotificationSettings::Kind, 32))
                    .col(boolean(NotificationSettings::Enabled))
                    .primary_key(
                        Index::create()
                            .col(NotificationSettings::UserId)
                            .col(NotificationSettings::Kind),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_settings_user")
                            .from(NotificationSettings::Table, NotificationSettings::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NotificationSettings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}
