//! The audit vocabulary. `action_type` values stay those the old UI filters and colours.

use serde_json::Value;

use crate::{ClientInfo, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    Login,
    LoginFailed,
    Logout,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "CREATE",
            AuditAction::Update => "UPDATE",
            AuditAction::Delete => "DELETE",
            AuditAction::Login => "LOGIN",
            AuditAction::LoginFailed => "LOGIN_FAILED",
            AuditAction::Logout => "LOGOUT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditEntity {
    User,
    Ticket,
    TicketMessage,
    Category,
    Equipment,
    Maintenance,
}

impl AuditEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEntity::User => "user",
            AuditEntity::Ticket => "ticket",
            AuditEntity::TicketMessage => "ticket_message",
            AuditEntity::Category => "category",
            AuditEntity::Equipment => "equipment",
            AuditEntity::Maintenance => "maintenance",
        }
    }
}

/// One audit row to append, written in the same unit of work as the change it describes.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub actor: Option<UserId>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: Option<i64>,
    pub description: String,
    pub old_values: Option<Value>,
    pub new_values: Option<Value>,
    pub client: ClientInfo,
}
