use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "equipment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(column_name = "type")]
    pub kind: Option<String>,
    pub category_id: Option<i64>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub inventory_number: Option<String>,
    pub location: Option<String>,
    pub status: String,
    pub purchase_date: Option<DateTime>,
    pub warranty_end_date: Option<DateTime>,
    pub last_maintenance_date: Option<DateTime>,
    pub responsible_person: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime,
    pub created_by_id: i64,
    pub updated_at: Option<DateTime>,
    pub updated_by_id: Option<i64>,
    pub deleted_at: Option<DateTime>,
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
