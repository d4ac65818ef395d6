//! Statistics counters, kept by every ticket write in its own transaction, so answering a
//! statistics request reads a handful of small rows whatever the number of tickets:
//!
//! - `stats_tickets`: tickets per (status, priority), with the summed resolution time of the
//!   closed ones;
//! - `stats_creators`: tickets per creator (indexed by count, for the "most active" list);
//! - `stats_agents`: per assignee and ticket creation day, assigned and resolved tickets and
//!   their resolution time;
//! - `stats_days`: per day, tickets created (and of those, resolved), tickets resolved, and
//!   tickets that entered `in_progress`.
//!
//! Also `tickets.status_changed_at`, when the status last changed (days are UTC).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    StatusChangedAt,
}

#[derive(DeriveIden)]
enum StatsTickets {
    Table,
    Status,
    Priority,
    Tickets,
    ResolutionSeconds,
}

#[derive(DeriveIden)]
enum StatsCreators {
    Table,
    UserId,
    Tickets,
}

#[derive(DeriveIden)]
enum StatsAgents {
    Table,
    UserId,
    Day,
    Assigned,
    Resolved,
    ResolutionSeconds,
}

#[derive(DeriveIden)]
enum StatsDays {
    Table,
    Day,
    Created,
    CreatedResolved,
    Resolved,
    EnteredInProgress,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .add_column(date_time(Tickets::StatusChangedAt).default("1970-01-01 00:00:00"))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("UPDATE tickets SET status_changed_at = updated_at")
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatsTickets::Table)
                    .col(small_integer(StatsTickets::Status))
                    .col(small_integer(StatsTickets::Priority))
                    .col(big_integer(StatsTickets::Tickets).default(0))
                    .col(big_integer(StatsTickets::ResolutionSeconds).default(0))
                    .primary_key(
                        Index::create()
                            .col(StatsTickets::Status)
                            .col(StatsTickets::Priority),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatsCreators::Table)
                    .col(big_integer(StatsCreators::UserId).primary_key())
                    .col(big_integer(StatsCreators::Tickets).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_stats_creators_tickets")
                    .table(StatsCreators::Table)
                    .col(StatsCreators::Tickets)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatsAgents::Table)
                    .col(big_integer(StatsAgents::UserId))
                    .col(date(StatsAgents::Day))
                    .col(big_integer(StatsAgents::Assigned).default(0))
                    .col(big_integer(StatsAgents::Resolved).default(0))
                    .col(big_integer(StatsAgents::ResolutionSeconds).default(0))
                    .primary_key(
                        Index::create()
                            .col(StatsAgents::UserId)
                            .col(StatsAgents::Day),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_stats_agents_day")
                    .table(StatsAgents::Table)
                    .col(StatsAgents::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatsDays::Table)
                    .col(date(StatsDays::Day).primary_key())
                    .col(big_integer(StatsDays::Created).default(0))
                    .col(big_integer(StatsDays::CreatedResolved).default(0))
                    .col(big_integer(StatsDays::Resolved).default(0))
                    .col(big_integer(StatsDays::EnteredInProgress).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "stats_days",
            "stats_agents",
            "stats_creators",
            "stats_tickets",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Tickets::Table)
                    .drop_column(Tickets::StatusChangedAt)
                    .to_owned(),
            )
            .await
    }
}
