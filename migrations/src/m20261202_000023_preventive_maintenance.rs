//! Preventive maintenance: schedules (one item or a category's items, every N days/weeks/months
//! from a first date or on dates of every year, a checklist, a lead time), the occurrences they opened (one per schedule,
//! item and due date — the unique key is what makes a due date open exactly one ticket across
//! instances), and what a maintenance record carries: parts, cost (minor units and a currency
//! code, never a float) and downtime.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MaintenanceSchedules {
    Table,
    Id,
    Title,
    EquipmentId,
    CategoryId,
    Checklist,
    PeriodUnit,
    PeriodCount,
    Dates,
    StartsOn,
    LeadDays,
    Enabled,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MaintenanceOccurrences {
    Table,
    Id,
    ScheduleId,
    EquipmentId,
    DueOn,
    TicketId,
    OpenedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum Maintenance {
    Table,
    Parts,
    CostMinor,
    Currency,
    DowntimeMinutes,
}

const ONCE: &str = "ux_maintenance_occurrences_once";
const BY_TICKET: &str = "ix_maintenance_occurrences_ticket";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MaintenanceSchedules::Table)
                    .col(big_pk_auto(MaintenanceSchedules::Id))
                    .col(string_len(MaintenanceSchedules::Title, 100))
                    .col(big_integer_null(MaintenanceSchedules::EquipmentId))
                    .col(big_integer_null(MaintenanceSchedules::CategoryId))
                    .col(text(MaintenanceSchedules::Checklist).default(""))
                    .col(string_len(MaintenanceSchedules::PeriodUnit, 10))
                    .col(integer(MaintenanceSchedules::PeriodCount))
                    .col(text(MaintenanceSchedules::Dates).default(""))
                    .col(date(MaintenanceSchedules::StartsOn))
                    .col(integer(MaintenanceSchedules::LeadDays).default(0))
                    .col(boolean(MaintenanceSchedules::Enabled).default(true))
                    .col(big_integer(MaintenanceSchedules::CreatedBy))
                    .col(date_time(MaintenanceSchedules::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MaintenanceOccurrences::Table)
                    .col(big_pk_auto(MaintenanceOccurrences::Id))
                    .col(big_integer(MaintenanceOccurrences::ScheduleId))
                    .col(big_integer(MaintenanceOccurrences::EquipmentId))
                    .col(date(MaintenanceOccurrences::DueOn))
                    .col(big_integer_null(MaintenanceOccurrences::TicketId))
                    .col(date_time(MaintenanceOccurrences::OpenedAt))
                    .col(date_time_null(MaintenanceOccurrences::CompletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                MaintenanceOccurrences::Table,
                                MaintenanceOccurrences::ScheduleId,
                            )
                            .to(MaintenanceSchedules::Table, MaintenanceSchedules::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(ONCE)
                    .table(MaintenanceOccurrences::Table)
                    .col(MaintenanceOccurrences::ScheduleId)
                    .col(MaintenanceOccurrences::EquipmentId)
                    .col(MaintenanceOccurrences::DueOn)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(BY_TICKET)
                    .table(MaintenanceOccurrences::Table)
                    .col(MaintenanceOccurrences::TicketId)
                    .to_owned(),
            )
            .await?;
        for column in [
            ColumnDef::new(Maintenance::Parts).text().null().to_owned(),
            ColumnDef::new(Maintenance::CostMinor)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Maintenance::Currency)
                .string_len(3)
                .null()
                .to_owned(),
            ColumnDef::new(Maintenance::DowntimeMinutes)
                .big_integer()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Maintenance::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Maintenance::Parts,
            Maintenance::CostMinor,
            Maintenance::Currency,
            Maintenance::DowntimeMinutes,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Maintenance::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(
                Table::drop()
                    .table(MaintenanceOccurrences::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(MaintenanceSchedules::Table).to_owned())
            .await
    }
}
