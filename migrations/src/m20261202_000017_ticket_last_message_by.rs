//! Who wrote a ticket's last message, so the staff's list shows which tickets await their
//! reply without reading every thread. Filled from the existing threads.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    LastMessageBy,
}

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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
