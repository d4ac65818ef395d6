//! Audit records on the wire, as the old admin page reads them.

use fixdesk_usecases::domain::AuditRecord;
use poem_openapi::Object;
use serde_json::Value;

use super::params::iso;

#[derive(Debug, Object, serde::Serialize)]
pub struct AuditUserOut {
    pub id: i64,
    pub username: String,
    #[oai(nullable)]
    pub full_name: Option<String>,
    pub role: String,
}

#[derive(Debug, Object, serde::Serialize)]
pub struct AuditItemOut {
    pub id: i64,
    pub action_type: String,
    pub description: String,
    #[oai(nullable)]
    pub entity_type: Option<String>,
    #[oai(nullable)]
    pub entity_id: Option<i64>,
    pub created_at: String,
    #[oai(nullable)]
    pub ip_address: Option<String>,
    #[oai(nullable)]
    pub user_agent: Option<String>,
    #[oai(nullable)]
    pub user: Option<AuditUserOut>,
    #[oai(nullable)]
    pub old_values: Option<Value>,
    #[oai(nullable)]
    pub new_values: Option<Value>,
}

impl From<AuditRecord> for AuditItemOut {
    fn from(r: AuditRecord) -> Self {
        Self {
            id: r.id,
            action_type: r.action_type,
            description: r.description,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            created_at: iso(r.created_at),
            ip_address: r.ip_address,
            user_agent: r.user_agent,
            user: r.user.map(|u| AuditUserOut {
                id: u.id.0,
                username: u.username,
                full_name: u.full_name,
                role: u.role.as_str().into(),
            }),
            old_values: r.old_values,
            new_values: r.new_values,
        }
    }
}
