//! A ticket's story in one chronological list: filing, messages and notes, files, status,
//! assignee, priority and waiting changes, and service-level events — assembled from the audit
//! log, the thread and the attachments, as the reader may see it.

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::{Attachment, AuditRecord, TicketMessage, UserId, display_name};

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineEvent {
    Filed,
    Message {
        text: String,
        internal: bool,
    },
    Attachment {
        id: i64,
        filename: String,
    },
    Status {
        from: Option<String>,
        to: String,
    },
    /// `to_name`: the new assignee's display name, filled in by the service.
    Assignee {
        from: Option<i64>,
        to: Option<i64>,
        to_name: Option<String>,
    },
    Priority {
        from: Option<String>,
        to: String,
    },
    Waiting(bool),
    /// `first_response_warning`, `resolution_breached`, … (staff only).
    Sla(String),
    /// Other fields edited (title, description, room, category, equipment, resolution).
    Edited(Vec<String>),
    /// Closed as a duplicate of this ticket.
    MergedInto(i64),
    /// This duplicate was merged into the ticket.
    MergedFrom(i64),
    /// Someone with the same problem joined the ticket.
    Joined,
}

impl TimelineEvent {
    /// The event's name on the wire.
    pub fn kind(&self) -> &'static str {
        match self {
            TimelineEvent::Filed => "filed",
            TimelineEvent::Message {
                internal: false, ..
            } => "message",
            TimelineEvent::Message { internal: true, .. } => "note",
            TimelineEvent::Attachment { .. } => "attachment",
            TimelineEvent::Status { .. } => "status",
            TimelineEvent::Assignee { .. } => "assignee",
            TimelineEvent::Priority { .. } => "priority",
            TimelineEvent::Waiting(_) => "waiting",
            TimelineEvent::Sla(_) => "sla",
            TimelineEvent::Edited(_) => "edited",
            TimelineEvent::MergedInto(_) => "merged",
            TimelineEvent::MergedFrom(_) => "merged_here",
            TimelineEvent::Joined => "joined",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: NaiveDateTime,
    /// Who did it; `None` for fixdesk itself (the service-level sweep).
    pub actor_id: Option<UserId>,
    pub actor_name: Option<String>,
    pub event: TimelineEvent,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The events one audit row of the ticket stands for (a change of several fields is several
/// events; message and file rows are left to the thread and the attachments).
pub fn from_audit(r: &AuditRecord) -> Vec<TimelineEvent> {
    if r.action_type == "CREATE" {
        // A rule may have given the ticket to someone as it was filed.
        let assigned = r
            .new_values
            .as_ref()
            .and_then(|v| v.get("assigned_to_id"))
            .and_then(Value::as_i64);
        let mut events = vec![TimelineEvent::Filed];
        events.extend(assigned.map(|to| TimelineEvent::Assignee {
            from: None,
            to: Some(to),
            to_name: None,
        }));
        return events;
    }
    let (Some(Value::Object(new)), old) = (&r.new_values, r.old_values.as_ref()) else {
        return Vec::new();
    };
    let before = |k: &str| old.and_then(|o| o.get(k));
    let mut events = Vec::new();
    let mut edited = Vec::new();
    // In an order a reader follows: the state first, then what the sweep saw, then edits.
    const ORDER: [&str; 6] = [
        "merged_into_id",
        "status",
        "assigned_to_id",
        "priority",
        "waiting_on_requester",
        "sla_event",
    ];
    let mut keys: Vec<&String> = new.keys().collect();
    keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    for key in keys {
        let value = &new[key];
        match key.as_str() {
            "status" => events.push(TimelineEvent::Status {
                from: text(before(key)),
                to: text(Some(value)).unwrap_or_default(),
            }),
            "assigned_to_id" => events.push(TimelineEvent::Assignee {
                from: before(key).and_then(Value::as_i64),
                to: value.as_i64(),
                to_name: None,
            }),
            "priority" => events.push(TimelineEvent::Priority {
                from: text(before(key)),
                to: text(Some(value)).unwrap_or_default(),
            }),
            "waiting_on_requester" => {
                events.push(TimelineEvent::Waiting(value.as_bool().unwrap_or(false)));
            }
            "sla_event" => events.push(TimelineEvent::Sla(text(Some(value)).unwrap_or_default())),
            "merged_into_id" => events.extend(value.as_i64().map(TimelineEvent::MergedInto)),
            "merged_from" => events.extend(value.as_i64().map(TimelineEvent::MergedFrom)),
            "follower" => events.push(TimelineEvent::Joined),
            "follower_left" => {}
            _ => edited.push(key.clone()),
        }
    }
    if !edited.is_empty() {
        events.push(TimelineEvent::Edited(edited));
    }
    events
}

/// The timeline, oldest first. `staff` readers see internal notes and service-level events;
/// the requester sees neither.
pub fn assemble(
    audit: &[AuditRecord],
    messages: Vec<TicketMessage>,
    attachments: Vec<Attachment>,
    staff: bool,
) -> Vec<TimelineEntry> {
    let mut entries: Vec<TimelineEntry> = Vec::new();
    for r in audit {
        let (actor_id, actor_name) = match &r.user {
            Some(u) => (
                Some(u.id),
                Some(display_name(u.full_name.as_deref(), &u.username)),
            ),
            None => (None, None),
        };
        entries.extend(from_audit(r).into_iter().map(|event| TimelineEntry {
            at: r.created_at,
            actor_id,
            actor_name: actor_name.clone(),
            event,
        }));
    }
    entries.extend(messages.into_iter().map(|m| TimelineEntry {
        at: m.created_at,
        actor_id: Some(m.user_id),
        actor_name: m.author_name,
        event: TimelineEvent::Message {
            text: m.message,
            internal: m.internal,
        },
    }));
    entries.extend(attachments.into_iter().map(|a| TimelineEntry {
        at: a.uploaded_at,
        actor_id: Some(a.uploaded_by),
        actor_name: None,
        event: TimelineEvent::Attachment {
            id: a.id,
            filename: a.filename,
        },
    }));
    entries.retain(|e| {
        staff
            || !matches!(
                e.event,
                TimelineEvent::Sla(_) | TimelineEvent::Message { internal: true, .. }
            )
    });
    // Filing first among equal times; otherwise in time order, stable.
    entries.sort_by_key(|e| (e.at, e.event != TimelineEvent::Filed));
    entries
}

/// The people assignee events name, for the caller to look up.
pub fn assignees(entries: &[TimelineEntry]) -> Vec<UserId> {
    entries
        .iter()
        .filter_map(|e| match e.event {
            TimelineEvent::Assignee { to: Some(u), .. } => Some(UserId(u)),
            _ => None,
        })
        .collect()
}

/// Puts the assignees' names on their events.
pub fn name_assignees(
    entries: &mut [TimelineEntry],
    names: &std::collections::HashMap<UserId, String>,
) {
    for e in entries {
        if let TimelineEvent::Assignee {
            to: Some(u),
            to_name,
            ..
        } = &mut e.event
        {
            *to_name = names.get(&UserId(*u)).cloned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MessageId, TicketId};
    use serde_json::json;

    fn at(min: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|d| d.and_hms_opt(9, min, 0))
            .unwrap()
    }

    fn row(action: &str, min: u32, old: Value, new: Value) -> AuditRecord {
        AuditRecord {
            id: i64::from(min),
            action_type: action.into(),
            description: String::new(),
            entity_type: Some("ticket".into()),
            entity_id: Some(1),
            created_at: at(min),
            ip_address: None,
            user_agent: None,
            user: None,
            old_values: Some(old),
            new_values: Some(new),
        }
    }

    fn message(min: u32, text: &str, internal: bool) -> TicketMessage {
        TicketMessage {
            id: MessageId(i64::from(min)),
            ticket_id: TicketId(1),
            user_id: UserId(5),
            author_name: Some("Agent".into()),
            message: text.into(),
            created_at: at(min),
            internal,
        }
    }

    #[test]
    fn audit_rows_become_events_in_time_order() {
        let audit = vec![
            row("CREATE", 0, json!(null), json!({"title": "x"})),
            row(
                "UPDATE",
                5,
                json!({"status": "new", "assigned_to_id": null}),
                json!({"status": "in_progress", "assigned_to_id": 5}),
            ),
            row(
                "UPDATE",
                9,
                json!({"priority": "medium"}),
                json!({"priority": "high", "sla_event": "resolution_breached", "title": "y"}),
            ),
        ];
        let messages = vec![message(3, "Смотрю", false), message(7, "порт", true)];
        let all = assemble(&audit, messages.clone(), Vec::new(), true);
        let kinds: Vec<&str> = all.iter().map(|e| e.event.kind()).collect();
        assert_eq!(
            kinds,
            [
                "filed", "message", "status", "assignee", "note", "priority", "sla", "edited"
            ]
        );
        assert_eq!(
            all[3].event,
            TimelineEvent::Assignee {
                from: None,
                to: Some(5),
                to_name: None
            }
        );
        let requester = assemble(&audit, messages, Vec::new(), false);
        assert!(
            requester
                .iter()
                .all(|e| !matches!(e.event.kind(), "note" | "sla")),
            "{requester:?}"
        );
        assert_eq!(requester.len(), all.len() - 2);
    }
}
