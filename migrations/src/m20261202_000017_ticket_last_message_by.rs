//! Who wrote a ticket's last message, so the staff's list shows which tickets await their
//! reply without reading every thread (filled from the existing threads); and an index for the
//! agents' queue (new tickets nobody holds), which their landing page counts and pages through
//! without visiting the rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    LastMessageBy,
    Status,
    AssignedToId,
    CreatedAt,
    Id,
}

const QUEUE_INDEX: &str = "ix_tickets_status_assignee_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .add_column(ColumnDef::new(Tickets::LastMessageBy).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE tickets SET last_message_by = (SELECT m.user_id FROM ticket_messages m \
                 WHERE m.ticket_id = tickets.id ORDER BY m.id DESC LIMIT 1) \
                 WHERE messages_count > 0",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(QUEUE_INDEX)
                    .table(Tickets::Table)
                    .col(Tickets::Status)
                    .col(Tickets::AssignedToId)
                    .col(Tickets::CreatedAt)
                    .col(Tickets::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(QUEUE_INDEX)
                    .table(Tickets::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .drop_column(Tickets::LastMessageBy)
                    .to_owned(),
            )
            .await
    }
}
