//! Fair auto-assignment: a rule per category (its group of agents, round robin or least open,
//! and the turn counter whose update serialises concurrent filings), and agents' absences.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AssignmentRules {
    Table,
    Id,
    CategoryId,
    Strategy,
    AgentIds,
    Enabled,
    Turn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgentAbsences {
    Table,
    Id,
    UserId,
    StartsOn,
    EndsOn,
    Note,
    CreatedAt,
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

const ABSENCE_INDEX: &str = "ix_agent_absences_user_ends";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AssignmentRules::Table)
                    .col(
                        ColumnDef::new(AssignmentRules::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AssignmentRules::CategoryId)
                            .big_integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(AssignmentRules::Strategy)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AssignmentRules::AgentIds).text().not_null())
                    .col(
                        ColumnDef::new(AssignmentRules::Enabled)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(AssignmentRules::Turn)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(AssignmentRules::CreatedAt)
                            .date_time()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AssignmentRules::Table, AssignmentRules::CategoryId)
                            .to(TicketCategories::Table, TicketCategories::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgentAbsences::Table)
                    .col(
                        ColumnDef::new(AgentAbsences::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AgentAbsences::UserId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AgentAbsences::StartsOn).date().not_null())
                    .col(ColumnDef::new(AgentAbsences::EndsOn).date().not_null())
                    .col(ColumnDef::new(AgentAbsences::Note).string_len(200).null())
                    .col(
                        ColumnDef::new(AgentAbsences::CreatedAt)
                            .date_time()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgentAbsences::Table, AgentAbsences::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(ABSENCE_INDEX)
                    .table(AgentAbsences::Table)
                    .col(AgentAbsences::UserId)
                    .col(AgentAbsences::EndsOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AgentAbsences::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AssignmentRules::Table).to_owned())
            .await
    }
}
