//! The audit vocabulary. `action_type` values stay those the old UI filters and colours.

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::{ClientInfo, Role, TicketId, UserId};

/// The hash that precedes the first audit row in the chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    Login,
    LoginFailed,
    Logout,
    AccessDenied,
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
            AuditAction::AccessDenied => "ACCESS_DENIED",
        }
    }

    pub const ALL: [AuditAction; 7] = [
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Delete,
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::AccessDenied,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditEntity {
    User,
    Ticket,
    TicketMessage,
    Category,
    Equipment,
    Maintenance,
    Notification,
    Attachment,
    SlaCalendar,
    SlaPolicy,
    AssignmentRule,
    Absence,
    CannedReply,
    MaintenanceSchedule,
    /// A delivered mail an admin re-delivered or discarded.
    InboundMail,
    /// A request that was refused.
    Request,
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
            AuditEntity::Notification => "notification",
            AuditEntity::Attachment => "attachment",
            AuditEntity::SlaCalendar => "sla_calendar",
            AuditEntity::SlaPolicy => "sla_policy",
            AuditEntity::AssignmentRule => "assignment_rule",
            AuditEntity::Absence => "absence",
            AuditEntity::CannedReply => "canned_reply",
            AuditEntity::MaintenanceSchedule => "maintenance_schedule",
            AuditEntity::InboundMail => "inbound_mail",
            AuditEntity::Request => "request",
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

/// Who acted, as an audit record shows them (their current name and role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditUser {
    pub id: UserId,
    pub username: String,
    pub full_name: Option<String>,
    pub role: Role,
}

/// One audit row as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub action_type: String,
    pub description: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub user: Option<AuditUser>,
    pub old_values: Option<Value>,
    pub new_values: Option<Value>,
}

impl AuditRecord {
    /// The ticket this row tells of a change to: the ticket itself, or the ticket a message or
    /// a file was put on or taken from. Its viewers' pages follow these rows.
    pub fn ticket_concerned(&self) -> Option<TicketId> {
        match self.entity_type.as_deref()? {
            "ticket" => self.entity_id.map(TicketId),
            "ticket_message" | "attachment" => [&self.new_values, &self.old_values]
                .into_iter()
                .flatten()
                .find_map(|v| v.get("ticket_id")?.as_i64())
                .map(TicketId),
            _ => None,
        }
    }
}

#[cfg(test)]
mod ticket_concerned_tests {
    use super::*;
    use serde_json::json;

    fn row(entity: &str, id: i64, new: Option<Value>, old: Option<Value>) -> AuditRecord {
        AuditRecord {
            id: 1,
            action_type: "UPDATE".into(),
            description: String::new(),
            entity_type: Some(entity.into()),
            entity_id: Some(id),
            created_at: NaiveDateTime::default(),
            ip_address: None,
            user_agent: None,
            user: None,
            old_values: old,
            new_values: new,
        }
    }

    #[test]
    fn a_row_names_the_ticket_it_changed_whatever_it_is_about() {
        assert_eq!(
            row("ticket", 7, None, None).ticket_concerned(),
            Some(TicketId(7))
        );
        let message = row("ticket_message", 90, Some(json!({"ticket_id": 7})), None);
        assert_eq!(message.ticket_concerned(), Some(TicketId(7)));
        let removed = row("attachment", 3, None, Some(json!({"ticket_id": 8})));
        assert_eq!(removed.ticket_concerned(), Some(TicketId(8)));
        assert_eq!(row("user", 7, None, None).ticket_concerned(), None);
        assert_eq!(
            row("attachment", 3, Some(json!({})), None).ticket_concerned(),
            None
        );
    }
}

/// Filters of the audit list; every one given must match. Both date bounds are inclusive.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action_type: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub user_id: Option<UserId>,
    /// The acting user's current role.
    pub role: Option<Role>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Only rows after this id (for live streams).
    pub after_id: Option<i64>,
}

/// A break in the audit chain found by verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The row's content no longer matches its hash: it was edited.
    Altered { id: i64 },
    /// The row does not follow the one before it: rows in between were deleted (or the link
    /// was edited).
    Broken { id: i64 },
    /// The newest rows are gone: the chain head no longer matches the last row.
    Truncated { last_id: Option<i64> },
}
