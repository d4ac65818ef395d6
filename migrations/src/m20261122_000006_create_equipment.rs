//! Equipment and its maintenance records. Equipment that tickets refer to is never deleted
//! outright (it is marked deleted), so those tickets stay readable; maintenance records go
//! with a hard-deleted item.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Equipment {
    Table,
    Id,
    Name,
    Type,
    Model,
    SerialNumber,
    InventoryNumber,
    Location,
    Status,
    PurchaseDate,
    WarrantyEndDate,
    LastMaintenanceDate,
    ResponsiblePerson,
    Notes,
    CreatedAt,
    CreatedById,
    UpdatedAt,
    UpdatedById,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Maintenance {
    Table,
    Id,
    EquipmentId,
    ActionType,
    Description,
    PerformedAt,
    PerformedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Equipment::Table)
                    .col(big_pk_auto(Equipment::Id))
                    .col(string_len(Equipment::Name, 200))
                    .col(string_len_null(Equipment::Type, 100))
                    .col(string_len_null(Equipment::Model, 200))
                    .col(string_len_null(Equipment::SerialNumber, 200))
                    .col(string_len_null(Equipment::InventoryNumber, 200))
                    .col(string_len_null(Equipment::Location, 200))
                    .col(string_len(Equipment::Status, 20).default("active").check(
                        Expr::col(Equipment::Status).is_in([
                            "active",
                            "inactive",
                            "repair",
                            "decommissioned",
                        ]),
                    ))
                    .col(date_time_null(Equipment::PurchaseDate))
                    .col(date_time_null(Equipment::WarrantyEndDate))
                    .col(date_time_null(Equipment::LastMaintenanceDate))
                    .col(string_len_null(Equipment::ResponsiblePerson, 200))
                    .col(text_null(Equipment::Notes))
                    .col(date_time(Equipment::CreatedAt))
                    .col(big_integer(Equipment::CreatedById))
                    .col(date_time_null(Equipment::UpdatedAt))
                    .col(big_integer_null(Equipment::UpdatedById))
                    .col(date_time_null(Equipment::DeletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_equipment_created_by")
                            .from(Equipment::Table, Equipment::CreatedById)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_equipment_updated_by")
                            .from(Equipment::Table, Equipment::UpdatedById)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_equipment_type", Equipment::Type),
            ("ix_equipment_location", Equipment::Location),
            ("ix_equipment_status", Equipment::Status),
            ("ix_equipment_created_by", Equipment::CreatedById),
            ("ix_equipment_updated_by", Equipment::UpdatedById),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Equipment::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Maintenance::Table)
                    .col(big_pk_auto(Maintenance::Id))
                    .col(big_integer(Maintenance::EquipmentId))
                    .col(string_len(Maintenance::ActionType, 20))
                    .col(text(Maintenance::Description))
                    .col(date_time(Maintenance::PerformedAt))
                    .col(big_integer(Maintenance::PerformedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_maintenance_equipment")
                            .from(Maintenance::Table, Maintenance::EquipmentId)
                            .to(Equipment::Table, Equipment::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_maintenance_performed_by")
                            .from(Maintenance::Table, Maintenance::PerformedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_maintenance_equipment_performed")
                    .table(Maintenance::Table)
                    .col(Maintenance::EquipmentId)
                    .col(Maintenance::PerformedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_maintenance_performed_by")
                    .table(Maintenance::Table)
                    .col(Maintenance::PerformedBy)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Maintenance::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Equipment::Table).to_owned())
            .await
    }
}
