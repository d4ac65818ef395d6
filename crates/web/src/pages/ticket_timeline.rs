//! A ticket's timeline as its page shows it: each event worded in the visitor's language.

use fixdesk_usecases::domain::{
    Priority, TicketStatus,
    timeline::{TimelineEntry, TimelineEvent},
};

use crate::{
    clock::{Clock, When},
    i18n::Texts,
    view,
};

#[derive(Debug)]
pub struct TimelineRow {
    pub at: When,
    pub who: String,
    /// `filed`, `message`, `note`, `status`, … (the CSS class `tl-…`).
    pub kind: &'static str,
    pub text: String,
}

fn status_word(t: &Texts, s: &str) -> String {
    s.parse::<TicketStatus>()
        .map(|s| view::status_label(t, s).to_string())
        .unwrap_or_else(|_| s.to_string())
}

fn priority_word(t: &Texts, p: &str) -> String {
    p.parse::<Priority>()
        .map(|p| view::priority_label(t, p).to_string())
        .unwrap_or_else(|_| p.to_string())
}

fn sla_word(t: &Texts, event: &str) -> String {
    match event {
        "first_response_warning" => t.tl_first_response_warning,
        "first_response_breached" => t.tl_first_response_breached,
        "resolution_warning" => t.tl_resolution_warning,
        "resolution_breached" => t.tl_resolution_breached,
        "hand_over_skipped" => t.tl_hand_over_skipped,
        other => other,
    }
    .to_string()
}

/// A field of an audited object named in the reader's language (its code when unknown).
pub fn field_word(t: &Texts, key: &str) -> String {
    match key {
        "title" => t.title,
        "description" => t.description,
        "room_number" => t.room,
        "priority" => t.priority,
        "status" => t.status,
        "category_id" => t.category,
        "equipment_id" => t.equipment_item,
        "assigned_to_id" => t.assignee,
        "resolution" => t.resolution,
        "waiting_on_requester" => t.waiting_on_requester,
        "downtime_minutes" => t.downtime_minutes,
        "is_hidden_for_creator" => t.hidden_by_requester,
        "username" => t.username,
        "email" => t.email,
        "full_name" => t.full_name,
        "role" => t.role,
        "is_active" => t.active,
        "name" => t.name,
        "location" => t.location,
        other => other,
    }
    .to_string()
}

/// What one event of a ticket's story says, in the reader's language.
pub fn event_text(t: &Texts, event: TimelineEvent) -> String {
    match event {
        TimelineEvent::Filed => t.tl_filed.to_string(),
        // The thread has the whole text; the timeline its beginning.
        TimelineEvent::Message { text, internal } => {
            let short = if text.chars().count() > 140 {
                format!("{}…", text.chars().take(140).collect::<String>())
            } else {
                text
            };
            if internal {
                format!("{}: {short}", t.tl_note)
            } else {
                short
            }
        }
        TimelineEvent::Attachment { filename, .. } => {
            format!("{}: {filename}", t.tl_attachment)
        }
        TimelineEvent::Status { to, .. } => t.tl_status.replace("{}", &status_word(t, &to)),
        TimelineEvent::Assignee { to: None, .. } => t.tl_unassigned.to_string(),
        TimelineEvent::Assignee {
            to: Some(id),
            to_name,
            ..
        } => t
            .tl_assignee
            .replace("{}", &to_name.unwrap_or_else(|| format!("#{id}"))),
        TimelineEvent::Priority { to, .. } => t.tl_priority.replace("{}", &priority_word(t, &to)),
        TimelineEvent::Waiting(true) => t.tl_waiting_on.to_string(),
        TimelineEvent::Waiting(false) => t.tl_waiting_off.to_string(),
        TimelineEvent::Sla(event) => sla_word(t, &event),
        TimelineEvent::Edited(fields) => {
            let words: Vec<String> = fields.iter().map(|f| field_word(t, f)).collect();
            t.tl_edited.replace("{}", &words.join(", "))
        }
        TimelineEvent::MergedInto(id) => t.tl_merged_into.replace("{}", &id.to_string()),
        TimelineEvent::MergedFrom(id) => t.tl_merged_from.replace("{}", &id.to_string()),
        TimelineEvent::Joined => t.tl_joined.to_string(),
    }
}

impl TimelineRow {
    pub fn new(t: &Texts, clock: &Clock, e: TimelineEntry) -> Self {
        let kind = e.event.kind();
        let text = event_text(t, e.event);
        Self {
            at: clock.when(&e.at),
            who: e.actor_name.unwrap_or_else(|| {
                if e.actor_id.is_none() {
                    t.tl_by_fixdesk.to_string()
                } else {
                    String::new()
                }
            }),
            kind,
            text,
        }
    }
}
