use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub equipment_id: i64,
    pub action_type: String,
    pub description: String,
    pub performed_at: DateTime,
    pub performed_by: i64,
    pub parts: Option<String>,
    pub cost_minor: Option<i64>,
    pub currency: Option<String>,
    pub downtime_minutes: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
