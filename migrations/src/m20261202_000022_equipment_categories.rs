//! Equipment belongs to a ticket category by id. Until now an item was matched to a category by
//! its `type` text equalling the category's name, so a category named differently (or renamed)
//! lost its equipment. Each item's `type` is mapped to the category of that name, ignoring case
//! (and then spelt as the category is);
//! the types no category names are printed, and those items stay without a category (their
//! `type` text is kept) until someone chooses one.

use fixdesk_domain::{category::category_named, equipment::search_text};
use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Equipment {
    Table,
    CategoryId,
    SearchText,
}

const INDEX: &str = "ix_equipment_category_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Equipment::Table)
                    .add_column(ColumnDef::new(Equipment::CategoryId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        // What an item is found by, lower-cased by the service (see `equipment::search_text`).
        manager
            .alter_table(
                Table::alter()
                    .table(Equipment::Table)
                    .add_column(
                        ColumnDef::new(Equipment::SearchText)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Equipment::Table)
                    .col(Equipment::CategoryId)
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        let backend = conn.get_database_backend();
        let categories: Vec<(i64, String)> = conn
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, name FROM ticket_categories ORDER BY id",
            ))
            .await?
            .iter()
            .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
            .collect::<Result<_, DbErr>>()?;
        let kinds: Vec<(String, i64)> = conn
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT type, COUNT(*) FROM equipment WHERE type IS NOT NULL GROUP BY type",
            ))
            .await?
            .iter()
            .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
            .collect::<Result<_, DbErr>>()?;
        let mut unmapped = Vec::new();
        for (kind, items) in kinds {
            let named = categories
                .iter()
                .map(|(id, name)| (fixdesk_domain::CategoryId(*id), name.as_str()));
            match category_named(&kind, named) {
                Some(category) => {
                    let name = categories
                        .iter()
                        .find(|(id, _)| *id == category.0)
                        .map(|(_, n)| n.clone());
                    conn.execute_raw(Statement::from_sql_and_values(
                        backend,
                        match backend {
                            sea_orm_migration::sea_orm::DbBackend::Postgres => {
                                "UPDATE equipment SET category_id = $1, type = $2 WHERE type = $3"
                            }
                            _ => "UPDATE equipment SET category_id = ?, type = ? WHERE type = ?",
                        },
                        [category.0.into(), name.into(), kind.into()],
                    ))
                    .await?;
                }
                None => unmapped.push(format!("{kind:?} ({items})")),
            }
        }
        let rows = conn
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, name, inventory_number, serial_number, model, location FROM equipment",
            ))
            .await?;
        for r in rows {
            let id: i64 = r.try_get_by_index(0)?;
            let mut fields: Vec<Option<String>> = Vec::new();
            for i in 1..6 {
                fields.push(r.try_get_by_index(i)?);
            }
            let text = search_text(fields.iter().map(Option::as_deref));
            conn.execute_raw(Statement::from_sql_and_values(
                backend,
                match backend {
                    sea_orm_migration::sea_orm::DbBackend::Postgres => {
                        "UPDATE equipment SET search_text = $1 WHERE id = $2"
                    }
                    _ => "UPDATE equipment SET search_text = ? WHERE id = ?",
                },
                [text.into(), id.into()],
            ))
            .await?;
        }
        if !unmapped.is_empty() {
            println!(
                "equipment types no category names (items kept without a category): {}",
                unmapped.join(", ")
            );
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Equipment::Table).to_owned())
            .await?;
        for column in [Equipment::CategoryId, Equipment::SearchText] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Equipment::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
