//! Notifications on the wire.

use std::collections::BTreeMap;

use fixdesk_usecases::domain::{FieldError, Notification, NotificationKind, NotificationSettings};
use poem_openapi::Object;
use serde_json::Value;

use super::params::iso;
use crate::{error::ApiError, validation_item::ValidationItem};

#[derive(Debug, Object, serde::Serialize)]
pub struct NotificationOut {
    pub id: i64,
    pub title: String,
    pub message: String,
    pub notification_type: String,
    #[oai(nullable)]
    pub related_id: Option<i64>,
    pub created_at: String,
    pub is_read: bool,
    pub user_id: i64,
}

impl From<Notification> for NotificationOut {
    fn from(n: Notification) -> Self {
        Self {
            id: n.id,
            title: n.title,
            message: n.message,
            notification_type: n.kind.as_str().into(),
            related_id: n.related_id,
            created_at: iso(n.created_at),
            is_read: n.is_read,
            user_id: n.user_id.0,
        }
    }
}

#[derive(Debug, Object)]
pub struct SettingsOut {
    pub success: bool,
    pub settings: BTreeMap<String, bool>,
}

impl From<NotificationSettings> for SettingsOut {
    fn from(s: NotificationSettings) -> Self {
        Self {
            success: true,
            settings: s
                .effective()
                .into_iter()
                .map(|(k, v)| (k.as_str().to_string(), v))
                .collect(),
        }
    }
}

/// A bool the lax way the old API took it: `true`/`false`, numbers, and `yes`/`no`, `on`/`off`,
/// `1`/`0` and friends as strings.
fn lax_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "on" | "t" => Some(true),
            "false" | "0" | "no" | "n" | "off" | "f" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Turns `{"ticket_created": true, …}` into settings, naming every bad key or value.
pub fn parse_settings(body: BTreeMap<String, Value>) -> Result<NotificationSettings, ApiError> {
    let mut choices = BTreeMap::new();
    let mut items = Vec::new();
    for (key, value) in body {
        let loc = vec![Value::from("body"), Value::from(key.clone())];
        match (key.parse::<NotificationKind>(), lax_bool(&value)) {
            (Ok(kind), Some(on)) => {
                choices.insert(kind, on);
            }
            (Err(FieldError { kind, message, .. }), _) => {
                items.push(ValidationItem::new(kind, loc, &message, Value::String(key)))
            }
            (Ok(_), None) => items.push(ValidationItem::new(
                "bool_parsing",
                loc,
                "Input should be a valid boolean",
                value,
            )),
        }
    }
    if items.is_empty() {
        Ok(NotificationSettings(choices))
    } else {
        Err(ApiError::Validation(items))
    }
}
