use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenance_schedules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub equipment_id: Option<i64>,
    pub category_id: Option<i64>,
    /// One line per item.
    pub checklist: String,
    pub period_unit: String,
    pub period_count: i32,
    /// `MM-DD,MM-DD` for a schedule on dates of the year.
    pub dates: String,
    pub starts_on: Date,
    pub lead_days: i32,
    pub enabled: bool,
    pub created_by: i64,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
