//! How the old service's values are repaired on import. Each rule returns the value to store
//! and, when it had to change something, what was wrong — which the importer reports.
//!
//! | value | rule |
//! |---|---|
//! | ticket status | `NEW`/`IN_PROGRESS`/`CLOSED` (names, as stored) or their values, any case; anything else → `new` |
//! | ticket priority | `low`/`medium`/`high`; `urgent`/`critical` → `high`; anything else → `medium` |
//! | role | `admin`/`agent`/`user`; anything else, or none → `user` |
//! | text with a limit | trimmed, cut to the limit; a required one left empty gets a stand-in |
//! | timestamp | `YYYY-MM-DD[ T]HH:MM:SS[.ffffff]` or a date; anything else → the time of the import |

use chrono::{NaiveDate, NaiveDateTime};
use fixdesk_domain::{Priority, Role, TicketStatus};

/// A value and, if it had to be repaired, why.
pub(crate) type Repaired<T> = (T, Option<String>);

pub(crate) fn status(raw: Option<&str>) -> Repaired<TicketStatus> {
    let v = raw.unwrap_or_default().trim();
    match v.to_ascii_lowercase().as_str() {
        "new" if v == "NEW" => (TicketStatus::New, None),
        "in_progress" if v == "IN_PROGRESS" => (TicketStatus::InProgress, None),
        "closed" if v == "CLOSED" => (TicketStatus::Closed, None),
        "new" => (
            TicketStatus::New,
            Some(format!("status stored as value '{v}'")),
        ),
        "in_progress" => (
            TicketStatus::InProgress,
            Some(format!("status stored as value '{v}'")),
        ),
        "closed" => (
            TicketStatus::Closed,
            Some(format!("status stored as value '{v}'")),
        ),
        _ => (
            TicketStatus::New,
            Some(format!("status '{v}' is not a status; set to new")),
        ),
    }
}

pub(crate) fn priority(raw: Option<&str>) -> Repaired<Priority> {
    let v = raw.unwrap_or_default().trim();
    match v.parse::<Priority>() {
        Ok(p) => (p, None),
        Err(_) if matches!(v.to_ascii_lowercase().as_str(), "urgent" | "critical") => (
            Priority::High,
            Some(format!("priority '{v}' is not a priority; set to high")),
        ),
        Err(_) => (
            Priority::Medium,
            Some(format!("priority '{v}' is not a priority; set to medium")),
        ),
    }
}

pub(crate) fn role(raw: Option<&str>) -> Repaired<Role> {
    match raw.map(str::trim) {
        Some(v) => match v.parse::<Role>() {
            Ok(r) => (r, None),
            Err(_) => (
                Role::User,
                Some(format!("role '{v}' is not a role; set to user")),
            ),
        },
        None => (Role::User, Some("no role; set to user".into())),
    }
}

/// Trimmed and cut to `max` characters; `fallback` when that leaves nothing.
pub(crate) fn text(
    field: &str,
    raw: Option<&str>,
    max: usize,
    fallback: Option<&str>,
) -> Repaired<String> {
    let trimmed = raw.unwrap_or_default().trim();
    let count = trimmed.chars().count();
    match (count, fallback) {
        (0, Some(f)) => (
            f.to_string(),
            Some(format!("{field} is empty; set to '{f}'")),
        ),
        (n, _) if n > max => (
            trimmed.chars().take(max).collect(),
            Some(format!("{field} is {n} characters (limit {max}); cut")),
        ),
        _ => (trimmed.to_string(), None),
    }
}

/// An optional text: `None` when empty, cut to `max`.
pub(crate) fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Repaired<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, None),
        Some(v) => {
            let (t, note) = text(field, Some(v), max, None);
            (Some(t), note)
        }
    }
}

pub(crate) fn timestamp(
    field: &str,
    raw: Option<&str>,
    now: NaiveDateTime,
) -> Repaired<NaiveDateTime> {
    match parse_timestamp(raw) {
        Some(t) => (t, None),
        None => (
            now,
            Some(format!(
                "{field} '{}' is not a time; set to the import time",
                raw.unwrap_or_default()
            )),
        ),
    }
}

pub(crate) fn parse_timestamp(raw: Option<&str>) -> Option<NaiveDateTime> {
    let v = raw?.trim();
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, f) {
            // fixdesk keeps whole seconds.
            return Some(t.with_nanosecond_zero());
        }
    }
    NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

trait WholeSeconds {
    fn with_nanosecond_zero(self) -> Self;
}

impl WholeSeconds for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}

/// JSON text kept as it is when it parses; otherwise kept as a JSON string holding the text.
pub(crate) fn json_text(field: &str, raw: Option<&str>) -> Repaired<Option<String>> {
    match raw {
        None => (None, None),
        Some(t) if serde_json::from_str::<serde_json::Value>(t).is_ok() => {
            (Some(t.to_string()), None)
        }
        Some(t) => (
            Some(serde_json::Value::String(t.to_string()).to_string()),
            Some(format!("{field} is not valid JSON; kept as a string")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_names_values_and_nonsense() {
        assert_eq!(
            status(Some("IN_PROGRESS")),
            (TicketStatus::InProgress, None)
        );
        assert_eq!(status(Some("closed")).0, TicketStatus::Closed);
        assert!(status(Some("closed")).1.is_some());
        assert_eq!(status(Some("bogus")).0, TicketStatus::New);
        assert_eq!(status(None).0, TicketStatus::New);
    }

    #[test]
    fn priorities_roles_texts_times() {
        assert_eq!(priority(Some("urgent")).0, Priority::High);
        assert_eq!(priority(Some("whatever")).0, Priority::Medium);
        assert_eq!(priority(Some("low")), (Priority::Low, None));
        assert_eq!(role(Some("superuser")).0, Role::User);
        assert_eq!(role(None).0, Role::User);
        assert_eq!(role(Some("agent")), (Role::Agent, None));
        assert_eq!(
            text("title", Some(&"x".repeat(240)), 100, Some("?"))
                .0
                .chars()
                .count(),
            100
        );
        assert_eq!(
            text("title", Some("  "), 100, Some("Без названия")).0,
            "Без названия"
        );
        let now = NaiveDateTime::default();
        assert_eq!(
            timestamp("t", Some("2026-11-22 01:38:28.466689"), now)
                .0
                .to_string(),
            "2026-11-22 01:38:28"
        );
        assert_eq!(
            timestamp("t", Some("2024-01-15"), now).0.to_string(),
            "2024-01-15 00:00:00"
        );
        assert_eq!(
            timestamp("t", Some("garbage"), now),
            (
                now,
                Some("t 'garbage' is not a time; set to the import time".into())
            )
        );
        assert_eq!(
            json_text("v", Some("{not json")).0.as_deref(),
            Some("\"{not json\"")
        );
        assert_eq!(
            json_text("v", Some("{\"a\":1}")),
            (Some("{\"a\":1}".into()), None)
        );
    }
}
