//! Users. Deletion is a tombstone (`deleted_at`), so tickets, messages and audit rows of a
//! deleted user still point at a row that names them; uniqueness of username and e-mail
//! therefore holds among live users only (partial unique indexes, on SQLite and PostgreSQL).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Username,
    Email,
    HashedPassword,
    FullName,
    Role,
    IsActive,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len(Users::Username, 50))
                    .col(string_len_null(Users::Email, 255))
                    .col(string_len(Users::HashedPassword, 255))
                    .col(string_len_null(Users::FullName, 100))
                    .col(
                        string_len(Users::Role, 20)
                            .check(Expr::col(Users::Role).is_in(["admin", "agent", "user"])),
                    )
                    .col(boolean(Users::IsActive).default(true))
                    .col(date_time(Users::CreatedAt))
                    .col(date_time(Users::UpdatedAt))
                    .col(date_time_null(Users::DeletedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_users_username_live ON users (username) WHERE deleted_at IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_users_email_live ON users (email) WHERE deleted_at IS NULL AND email IS NOT NULL",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_users_role_active")
                    .table(Users::Table)
                    .col(Users::Role)
                    .col(Users::IsActive)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}
