//! Notifications on the wire.

use std::collections::BTreeMap;

use fixdesk_usecases::domain::{
    FieldError, MailChannel, MailChoices, MailSettings, Notification, NotificationKind,
    NotificationSettings,
};
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

/// Turns `{"<kind>": <value>, …}` into a choice per kind, naming every bad key or value.
fn parse_choices<V>(
    body: BTreeMap<String, Value>,
    read: impl Fn(&Value) -> Result<V, FieldError>,
) -> Result<BTreeMap<NotificationKind, V>, ApiError> {
    let mut choices = BTreeMap::new();
    let mut items = Vec::new();
    for (key, value) in body {
        let loc = vec![Value::from("body"), Value::from(key.clone())];
        match (key.parse::<NotificationKind>(), read(&value)) {
            (Ok(kind), Ok(choice)) => {
                choices.insert(kind, choice);
            }
            (Err(FieldError { kind, message, .. }), _) => {
                items.push(ValidationItem::new(kind, loc, &message, Value::String(key)))
            }
            (Ok(_), Err(FieldError { kind, message, .. })) => {
                items.push(ValidationItem::new(kind, loc, &message, value))
            }
        }
    }
    if items.is_empty() {
        Ok(choices)
    } else {
        Err(ApiError::Validation(items))
    }
}

/// Turns `{"ticket_created": true, …}` into settings.
pub fn parse_settings(body: BTreeMap<String, Value>) -> Result<NotificationSettings, ApiError> {
    parse_choices(body, |v| {
        lax_bool(v).ok_or_else(|| {
            FieldError::new(
                "settings",
                "bool_parsing",
                "Input should be a valid boolean",
            )
        })
    })
    .map(NotificationSettings)
}

/// Turns `{"ticket_message": "daily", …}` into mail choices.
pub fn parse_mail_choices(body: BTreeMap<String, Value>) -> Result<MailChoices, ApiError> {
    parse_choices(body, |v| MailChannel::parse(v.as_str().unwrap_or_default())).map(MailChoices)
}

/// What the caller receives by e-mail.
#[derive(Debug, Object)]
pub struct MailSettingsOut {
    /// Whether this desk sends mail at all (an SMTP server is configured).
    pub enabled: bool,
    /// The caller's address (empty: none, so nothing is mailed).
    pub address: String,
    /// Why mail to the address was refused for good; while set, nothing is mailed to it.
    #[oai(nullable)]
    pub bounced: Option<String>,
    /// Per kind: `off`, `instant`, `hourly` or `daily`.
    pub mail: BTreeMap<String, String>,
}

impl From<MailSettings> for MailSettingsOut {
    fn from(s: MailSettings) -> Self {
        Self {
            enabled: s.enabled,
            address: s.address,
            bounced: s.bounced,
            mail: s
                .choices
                .effective()
                .into_iter()
                .map(|(k, c)| (k.as_str().to_string(), c.as_str().to_string()))
                .collect(),
        }
    }
}
