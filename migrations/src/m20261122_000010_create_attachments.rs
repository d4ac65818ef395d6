//! Files attached to tickets. The file lives in the data directory under a server-chosen name;
//! the row keeps the original name (shown, never used as a path) and the checked content type.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    TicketId,
    Filename,
    StoredFilename,
    FilePath,
    FileSize,
    ContentType,
    Description,
    UploadedAt,
    UploadedBy,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(big_pk_auto(Attachments::Id))
                    .col(big_integer(Attachments::TicketId))
                    .col(string_len(Attachments::Filename, 255))
                    .col(string_len(Attachments::StoredFilename, 100))
                    .col(string_len(Attachments::FilePath, 300))
                    .col(big_integer(Attachments::FileSize))
                    .col(string_len(Attachments::ContentType, 100))
                    .col(string_len_null(Attachments::Description, 1000))
                    .col(date_time(Attachments::UploadedAt))
                    .col(big_integer(Attachments::UploadedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachments_ticket")
                            .from(Attachments::Table, Attachments::TicketId)
                            .to(Tickets::Table, Tickets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachments_uploaded_by")
                            .from(Attachments::Table, Attachments::UploadedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_attachments_ticket", Attachments::TicketId),
            ("ix_attachments_uploaded_by", Attachments::UploadedBy),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Attachments::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await
    }
}
