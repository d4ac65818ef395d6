//! Mail out: each person's mail choice per kind of notification, how far the mail sweep has
//! read the notifications, what waits for a digest, and the addresses that bounced (no longer
//! tried until the person changes theirs).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MailChoices {
    Table,
    UserId,
    Kind,
    Channel,
}

#[derive(DeriveIden)]
enum MailCursor {
    Table,
    Id,
    LastNotificationId,
}

#[derive(DeriveIden)]
enum MailDigestItems {
    Table,
    Id,
    UserId,
    NotificationId,
    Channel,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MailBounces {
    Table,
    Address,
    Reason,
    BouncedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MailChoices::Table)
                    .col(big_integer(MailChoices::UserId))
                    .col(string_len(MailChoices::Kind, 32))
                    .col(string_len(MailChoices::Channel, 16))
                    .primary_key(
                        Index::create()
                            .col(MailChoices::UserId)
                            .col(MailChoices::Kind),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailCursor::Table)
                    .col(integer(MailCursor::Id).primary_key())
                    .col(big_integer(MailCursor::LastNotificationId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailDigestItems::Table)
                    .col(
                        ColumnDef::new(MailDigestItems::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(MailDigestItems::UserId))
                    .col(big_integer(MailDigestItems::NotificationId))
                    .col(string_len(MailDigestItems::Channel, 16))
                    .col(date_time(MailDigestItems::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_digest_items_user")
                    .table(MailDigestItems::Table)
                    .col(MailDigestItems::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailBounces::Table)
                    .col(string_len(MailBounces::Address, 320).primary_key())
                    .col(text(MailBounces::Reason))
                    .col(date_time(MailBounces::BouncedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MailBounces::Table.into_iden(),
            MailDigestItems::Table.into_iden(),
            MailCursor::Table.into_iden(),
            MailChoices::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
