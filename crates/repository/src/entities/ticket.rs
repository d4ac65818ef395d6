use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub description: String,
    pub status: i16,
    pub priority: i16,
    pub resolution: Option<String>,
    pub room_number: String,
    pub created_at: DateTime,
    pub updated_at: DateTime,
    pub closed_at: Option<DateTime>,
    pub status_changed_at: DateTime,
    pub is_hidden_for_creator: bool,
    pub creator_id: i64,
    pub assigned_to_id: Option<i64>,
    pub category_id: Option<i64>,
    pub equipment_id: Option<i64>,
    pub messages_count: i64,
    pub last_message_by: Option<i64>,
    pub search_text: String,
    pub sla_policy_id: Option<i64>,
    pub sla_first_response_due_at: Option<DateTime>,
    pub sla_first_responded_at: Option<DateTime>,
    pub sla_resolution_due_at: Option<DateTime>,
    pub sla_paused_since: Option<DateTime>,
    pub sla_paused_minutes: i64,
    pub sla_stage: i16,
    pub sla_next_check_at: Option<DateTime>,
    pub sla_due_open: Option<DateTime>,
    pub waiting_on_requester: bool,
    pub planned: bool,
    pub downtime_minutes: Option<i64>,
    pub internal_messages_count: i64,
    pub merged_into_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
