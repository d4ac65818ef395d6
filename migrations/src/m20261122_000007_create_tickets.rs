//! Tickets and their message threads. Status and priority are stored as their rank in the
//! workflow and in urgency (0, 1, 2), so ordering by them means something and is indexable.
//! Each list filter and sort has an index whose second column is the creation time, so "the
//! newest N matching" reads N index entries whatever the table size.
//! `messages_count` is kept by every message insert, so lists need no per-ticket count.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{
    m20261122_000001_create_users::Users, m20261122_000005_create_categories::TicketCategories,
    m20261122_000006_create_equipment::Equipment,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    Title,
    Description,
    Status,
    Priority,
    Resolution,
    RoomNumber,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
    IsHiddenForCreator,
    CreatorId,
    AssignedToId,
    CategoryId,
    EquipmentId,
    MessagesCount,
    SearchText,
}

#[derive(DeriveIden)]
enum TicketMessages {
    Table,
    Id,
    TicketId,
    UserId,
    Message,
    CreatedAt,
}

fn index(name: &str, cols: Vec<Tickets>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Tickets::Table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tickets::Table)
                    .col(big_pk_auto(Tickets::Id))
                    .col(string_len(Tickets::Title, 100))
                    .col(text(Tickets::Description))
                    .col(
                        small_integer(Tickets::Status)
                            .default(0)
                            .check(Expr::col(Tickets::Status).between(0, 2)),
                    )
                    .col(
                        small_integer(Tickets::Priority)
                            .default(1)
                            .check(Expr::col(Tickets::Priority).between(0, 2)),
                    )
                    .col(text_null(Tickets::Resolution))
                    .col(string_len(Tickets::RoomNumber, 20))
                    .col(date_time(Tickets::CreatedAt))
                    .col(date_time(Tickets::UpdatedAt))
                    .col(date_time_null(Tickets::ClosedAt))
                    .col(boolean(Tickets::IsHiddenForCreator).default(false))
                    .col(big_integer(Tickets::CreatorId))
                    .col(big_integer_null(Tickets::AssignedToId))
                    .col(big_integer_null(Tickets::CategoryId))
                    .col(big_integer_null(Tickets::EquipmentId))
                    .col(big_integer(Tickets::MessagesCount).default(0))
                    // Lower-cased title and description, for case-insensitive search that
                    // treats Cyrillic like Latin on SQLite too (its LOWER() is ASCII-only).
                    .col(text(Tickets::SearchText).default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tickets_creator")
                            .from(Tickets::Table, Tickets::CreatorId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tickets_assignee")
                            .from(Tickets::Table, Tickets::AssignedToId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tickets_category")
                            .from(Tickets::Table, Tickets::CategoryId)
                            .to(TicketCategories::Table, TicketCategories::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tickets_equipment")
                            .from(Tickets::Table, Tickets::EquipmentId)
                            .to(Equipment::Table, Equipment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for i in [
            index("ix_tickets_created", vec![Tickets::CreatedAt, Tickets::Id]),
            index("ix_tickets_updated", vec![Tickets::UpdatedAt, Tickets::Id]),
            index(
                "ix_tickets_creator_created",
                vec![Tickets::CreatorId, Tickets::CreatedAt],
            ),
            index(
                "ix_tickets_assignee_created",
                vec![Tickets::AssignedToId, Tickets::CreatedAt],
            ),
            index(
                "ix_tickets_status_created",
                vec![Tickets::Status, Tickets::CreatedAt],
            ),
            index(
                "ix_tickets_priority_created",
                vec![Tickets::Priority, Tickets::CreatedAt],
            ),
            index(
                "ix_tickets_category_created",
                vec![Tickets::CategoryId, Tickets::CreatedAt],
            ),
            index(
                "ix_tickets_equipment_created",
                vec![Tickets::EquipmentId, Tickets::CreatedAt],
            ),
        ] {
            manager.create_index(i).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(TicketMessages::Table)
                    .col(big_pk_auto(TicketMessages::Id))
                    .col(big_integer(TicketMessages::TicketId))
                    .col(big_integer(TicketMessages::UserId))
                    .col(text(TicketMessages::Message))
                    .col(date_time(TicketMessages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_messages_ticket")
                            .from(TicketMessages::Table, TicketMessages::TicketId)
                            .to(Tickets::Table, Tickets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_messages_user")
                            .from(TicketMessages::Table, TicketMessages::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ticket_messages_ticket_created")
                    .table(TicketMessages::Table)
                    .col(TicketMessages::TicketId)
                    .col(TicketMessages::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ticket_messages_user")
                    .table(TicketMessages::Table)
                    .col(TicketMessages::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TicketMessages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Tickets::Table).to_owned())
            .await
    }
}
