//! The numbers of the repair loop: which tickets are planned maintenance (not failures), and a
//! counter row per item and day — failures filed, repairs closed, minutes from filing to
//! closing — kept by every ticket write like the other statistics, so reliability over any
//! period reads days × items, never the tickets.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Planned,
    DowntimeMinutes,
}

#[derive(DeriveIden)]
enum StatsEquipment {
    Table,
    EquipmentId,
    Day,
    Failures,
    Repairs,
    RepairMinutes,
    DowntimeMinutes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .add_column(boolean(Tickets::Planned).default(false))
                    .to_owned(),
            )
            .await?;
        // Staff's correction of the item's downtime for a ticket (else filing to closing).
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .add_column(big_integer_null(Tickets::DowntimeMinutes))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatsEquipment::Table)
                    .col(big_integer(StatsEquipment::EquipmentId))
                    .col(date(StatsEquipment::Day))
                    .col(big_integer(StatsEquipment::Failures).default(0))
                    .col(big_integer(StatsEquipment::Repairs).default(0))
                    .col(big_integer(StatsEquipment::RepairMinutes).default(0))
                    .col(big_integer(StatsEquipment::DowntimeMinutes).default(0))
                    .primary_key(
                        Index::create()
                            .col(StatsEquipment::EquipmentId)
                            .col(StatsEquipment::Day),
                    )
                    .to_owned(),
            )
            .await?;
        // Tickets the schedules opened are planned; then the new counters are filled from the
        // tickets by the service's recount (a queued job, the same one admins start).
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "UPDATE tickets SET planned = TRUE WHERE id IN \
             (SELECT ticket_id FROM maintenance_occurrences WHERE ticket_id IS NOT NULL)",
        )
        .await?;
        let now = "CURRENT_TIMESTAMP";
        conn.execute_unprepared(&format!(
            "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, progress, \
             created_at, updated_at) \
             SELECT 'stats_rebuild', '{{}}', 'queued', 0, 5, {now}, 0, {now}, {now} \
             WHERE EXISTS (SELECT 1 FROM tickets WHERE equipment_id IS NOT NULL)"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StatsEquipment::Table).to_owned())
            .await?;
        for column in [Tickets::Planned, Tickets::DowntimeMinutes] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tickets::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
