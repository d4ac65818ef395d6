use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_calendars")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    /// Seven entries, Monday first, comma-separated: `09:00-18:00` or empty for a day off.
    pub week: String,
    /// Comma-separated: `2026-12-31` once, `01-01` yearly.
    pub holidays: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
