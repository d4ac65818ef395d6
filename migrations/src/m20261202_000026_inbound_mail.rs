//! Mail delivered to the desk (`fixdesk-migrate mailgate`): one row per message, keyed by its
//! `Message-ID` so a second delivery of the same message does nothing, with what became of
//! it; a message that could not be read is kept whole (`raw`) for an admin.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InboundMail {
    Table,
    Id,
    MessageId,
    Sender,
    Subject,
    ReceivedAt,
    Outcome,
    TicketId,
    Detail,
    Raw,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InboundMail::Table)
                    .col(
                        ColumnDef::new(InboundMail::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len(InboundMail::MessageId, 998).unique_key())
                    .col(string_len(InboundMail::Sender, 320))
                    .col(text(InboundMail::Subject))
                    .col(date_time(InboundMail::ReceivedAt))
                    .col(string_len(InboundMail::Outcome, 16))
                    .col(big_integer_null(InboundMail::TicketId))
                    .col(text_null(InboundMail::Detail))
                    .col(blob_null(InboundMail::Raw))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InboundMail::Table).to_owned())
            .await
    }
}
