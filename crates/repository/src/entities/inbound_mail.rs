use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_mail")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub message_id: String,
    /// `message_id` in lower case: with `sender`, what a message is known by.
    pub message_key: String,
    pub sender: String,
    pub subject: String,
    pub received_at: DateTime,
    pub outcome: String,
    pub ticket_id: Option<i64>,
    pub detail: Option<String>,
    pub raw: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
