//! Counters of service levels, kept by every ticket write like the other statistics: per day a
//! clock stopped, agent, category and clock, how many stopped and how many in time; and per
//! day and clock a histogram of the time taken (for the median and the 90th percentile).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StatsServiceLevels {
    Table,
    Day,
    AgentId,
    CategoryId,
    Clock,
    Stopped,
    Met,
}

#[derive(DeriveIden)]
enum StatsServiceTimes {
    Table,
    Day,
    Clock,
    Bucket,
    Tickets,
}

fn counter(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .default(0)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StatsServiceLevels::Table)
                    .col(ColumnDef::new(StatsServiceLevels::Day).date().not_null())
                    .col(
                        ColumnDef::new(StatsServiceLevels::AgentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StatsServiceLevels::CategoryId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StatsServiceLevels::Clock)
                            .small_integer()
                            .not_null(),
                    )
                    .col(counter(StatsServiceLevels::Stopped))
                    .col(counter(StatsServiceLevels::Met))
                    .primary_key(
                        Index::create()
                            .col(StatsServiceLevels::Day)
                            .col(StatsServiceLevels::AgentId)
                            .col(StatsServiceLevels::CategoryId)
                            .col(StatsServiceLevels::Clock),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatsServiceTimes::Table)
                    .col(ColumnDef::new(StatsServiceTimes::Day).date().not_null())
                    .col(
                        ColumnDef::new(StatsServiceTimes::Clock)
                            .small_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StatsServiceTimes::Bucket)
                            .small_integer()
                            .not_null(),
                    )
                    .col(counter(StatsServiceTimes::Tickets))
                    .primary_key(
                        Index::create()
                            .col(StatsServiceTimes::Day)
                            .col(StatsServiceTimes::Clock)
                            .col(StatsServiceTimes::Bucket),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StatsServiceTimes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StatsServiceLevels::Table).to_owned())
            .await
    }
}
