//! Service levels and internal notes: business calendars and the policies that set targets on
//! them; on each ticket its clocks and whether it waits on its requester; messages staff only
//! see. `sla_due_open` is the resolution due time while that clock runs (null once paused or
//! closed), so "overdue" and "due today" are one ordered index range whatever the table holds.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SlaCalendars {
    Table,
    Id,
    Name,
    TimeZone,
    Week,
    Holidays,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SlaPolicies {
    Table,
    Id,
    Name,
    CategoryId,
    Priority,
    CalendarId,
    FirstResponseMinutes,
    ResolutionMinutes,
    EscalateRaisePriority,
    EscalateToId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    SlaPolicyId,
    SlaFirstResponseDueAt,
    SlaFirstRespondedAt,
    SlaResolutionDueAt,
    SlaPausedSince,
    SlaPausedMinutes,
    SlaStage,
    SlaNextCheckAt,
    SlaDueOpen,
    WaitingOnRequester,
    InternalMessagesCount,
}

#[derive(DeriveIden)]
enum TicketMessages {
    Table,
    IsInternal,
}

#[derive(DeriveIden)]
enum TicketCategories {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const NEXT_CHECK_INDEX: &str = "ix_tickets_sla_next_check_at";
const DUE_INDEX: &str = "ix_tickets_sla_due_open";

fn ticket_columns() -> Vec<ColumnDef> {
    vec![
        ColumnDef::new(Tickets::SlaPolicyId)
            .big_integer()
            .null()
            .to_owned(),
        ColumnDef::new(Tickets::SlaFirstResponseDueAt)
            .date_time()
            .null()
            .to_owned(),
        ColumnDef::new(Tickets::SlaFirstRespondedAt)
            .date_time()
            .null()
            .to_owned(),
        ColumnDef::new(Tickets::SlaResolutionDueAt)
            .date_time()
            .null()
            .to_owned(),
        ColumnDef::new(Tickets::SlaPausedSince)
            .date_time()
            .null()
            .to_owned(),
        ColumnDef::new(Tickets::SlaPausedMinutes)
            .big_integer()
            .not_null()
            .default(0)
            .to_owned(),
        ColumnDef::new(Tickets::SlaStage)
            .small_integer()
            .not_null()
            .default(0)
            .to_owned(),
        ColumnDef::new(Tickets::SlaNextCheckAt)
            .date_time()
            .null()
            .to_owned(),
        ColumnDef::new(Tickets::SlaDueOpen)
            .date_time()
            .null()
            .to_owned(),
        ColumnDef::new(Tickets::WaitingOnRequester)
            .boolean()
            .not_null()
            .default(false)
            .to_owned(),
        ColumnDef::new(Tickets::InternalMessagesCount)
            .big_integer()
            .not_null()
            .default(0)
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SlaCalendars::Table)
                    .col(
                        ColumnDef::new(SlaCalendars::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SlaCalendars::Name)
                            .string_len(100)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(SlaCalendars::TimeZone)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SlaCalendars::Week)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SlaCalendars::Holidays).text().not_null())
                    .col(
                        ColumnDef::new(SlaCalendars::CreatedAt)
                            .date_time()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SlaPolicies::Table)
                    .col(
                        ColumnDef::new(SlaPolicies::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SlaPolicies::Name).string_len(100).not_null())
                    .col(ColumnDef::new(SlaPolicies::CategoryId).big_integer().null())
                    .col(ColumnDef::new(SlaPolicies::Priority).small_integer().null())
                    .col(
                        ColumnDef::new(SlaPolicies::CalendarId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SlaPolicies::FirstResponseMinutes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SlaPolicies::ResolutionMinutes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SlaPolicies::EscalateRaisePriority)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(SlaPolicies::EscalateToId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SlaPolicies::CreatedAt)
                            .date_time()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SlaPolicies::Table, SlaPolicies::CategoryId)
                            .to(TicketCategories::Table, TicketCategories::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SlaPolicies::Table, SlaPolicies::CalendarId)
                            .to(SlaCalendars::Table, SlaCalendars::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SlaPolicies::Table, SlaPolicies::EscalateToId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite alters a table one change at a time.
        for column in ticket_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tickets::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(TicketMessages::Table)
                    .add_column(
                        ColumnDef::new(TicketMessages::IsInternal)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(NEXT_CHECK_INDEX)
                    .table(Tickets::Table)
                    .col(Tickets::SlaNextCheckAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(DUE_INDEX)
                    .table(Tickets::Table)
                    .col(Tickets::SlaDueOpen)
                    .col(Tickets::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in [NEXT_CHECK_INDEX, DUE_INDEX] {
            manager
                .drop_index(Index::drop().name(index).table(Tickets::Table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(TicketMessages::Table)
                    .drop_column(TicketMessages::IsInternal)
                    .to_owned(),
            )
            .await?;
        for column in ticket_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tickets::Table)
                        .drop_column(Alias::new(column.get_column_name()))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(SlaPolicies::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SlaCalendars::Table).to_owned())
            .await
    }
}
