use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub category_id: Option<i64>,
    pub priority: Option<i16>,
    pub calendar_id: i64,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
    pub escalate_raise_priority: bool,
    pub escalate_to_id: Option<i64>,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
