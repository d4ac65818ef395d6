//! Tickets and messages on the wire. Besides the contract's fields, a ticket carries the names
//! of its creator and assignee (`created_by`, `assigned_to`, which the old frontend already
//! looks for), `closed_at` and `messages_count`: additions only.

use fixdesk_usecases::domain::{
    CategoryId, Description, EquipmentId, FieldError, MessageText, NewTicket, Priority, Resolution,
    RoomNumber, Ticket, TicketChanges, TicketMessage, TicketStatus, Title, UserId,
    sla::{ClockReading, SlaReading},
    timeline::{TimelineEntry, TimelineEvent},
};
use poem_openapi::Object;
use serde::Deserialize;

use super::{
    common::{patch, present, required},
    params::iso,
};
use crate::{error::ApiError, validation::Checker};

#[derive(Debug, Object, serde::Serialize)]
pub struct PersonOut {
    pub id: i64,
    #[oai(nullable)]
    pub name: Option<String>,
}

#[derive(Debug, Object, serde::Serialize)]
pub struct TicketOut {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub priority: String,
    pub status: String,
    #[oai(nullable)]
    pub category_id: Option<i64>,
    pub room_number: String,
    #[oai(nullable)]
    pub equipment_id: Option<i64>,
    pub created_at: String,
    #[oai(nullable)]
    pub updated_at: Option<String>,
    #[oai(nullable)]
    pub closed_at: Option<String>,
    pub creator_id: i64,
    #[oai(nullable)]
    pub assigned_to_id: Option<i64>,
    #[oai(nullable)]
    pub resolution: Option<String>,
    pub created_by: PersonOut,
    #[oai(nullable)]
    pub assigned_to: Option<PersonOut>,
    pub messages_count: i64,
    /// Staff wait for the requester's answer (the service-level clocks stand still).
    pub waiting_on_requester: bool,
    /// Opened by a preventive-maintenance schedule (not a failure of its item).
    pub planned: bool,
    /// The item's downtime for this ticket as staff corrected it (`null`: filing to closing).
    #[oai(nullable)]
    pub downtime_minutes: Option<i64>,
    /// Closed as a duplicate of this ticket (its requester follows that one).
    #[oai(nullable)]
    pub merged_into_id: Option<i64>,
    /// The service-level clocks (staff only; `null` when no policy applies).
    #[oai(nullable)]
    pub sla: Option<SlaOut>,
}

/// One service-level clock.
#[derive(Debug, Object, serde::Serialize)]
pub struct SlaClockOut {
    /// The target, in working minutes of the policy's calendar.
    pub target_minutes: i64,
    pub due_at: String,
    /// When the clock stopped (first answer; closing for resolution), if it has.
    #[oai(nullable)]
    pub stopped_at: Option<String>,
    /// Working minutes left until due; negative: overdue by that many.
    pub remaining_minutes: i64,
    /// Share of the target used, in percent.
    pub used_percent: i64,
    pub breached: bool,
}

/// A ticket's service-level clocks as they read now.
#[derive(Debug, Object, serde::Serialize)]
pub struct SlaOut {
    pub policy_id: i64,
    pub first_response: SlaClockOut,
    pub resolution: SlaClockOut,
    /// Whether the clocks stand still (waiting on the requester, or closed).
    pub paused: bool,
    /// Where the due times come from: the clocks started at filing, count the working time of
    /// this calendar (`/sla/calendars/`), and moved later by `paused_minutes` of working time
    /// the ticket spent waiting on its requester.
    pub filed_at: String,
    pub calendar_id: i64,
    pub paused_minutes: i64,
}

impl From<ClockReading> for SlaClockOut {
    fn from(c: ClockReading) -> Self {
        Self {
            target_minutes: c.target_minutes,
            due_at: iso(c.due_at),
            stopped_at: c.stopped_at.map(iso),
            remaining_minutes: c.remaining_minutes,
            used_percent: c.used_percent,
            breached: c.breached,
        }
    }
}

impl From<SlaReading> for SlaOut {
    fn from(r: SlaReading) -> Self {
        Self {
            policy_id: r.policy_id.0,
            first_response: r.first_response.into(),
            resolution: r.resolution.into(),
            paused: r.paused,
            filed_at: iso(r.filed_at),
            calendar_id: r.calendar_id.0,
            paused_minutes: r.paused_minutes,
        }
    }
}

impl From<Ticket> for TicketOut {
    fn from(t: Ticket) -> Self {
        Self {
            id: t.id.0,
            title: t.title,
            description: t.description,
            priority: t.priority.as_str().into(),
            status: t.status.as_str().into(),
            category_id: t.category_id.map(|c| c.0),
            room_number: t.room_number,
            equipment_id: t.equipment_id.map(|e| e.0),
            created_at: iso(t.created_at),
            updated_at: Some(iso(t.updated_at)),
            closed_at: t.closed_at.map(iso),
            creator_id: t.creator_id.0,
            assigned_to_id: t.assigned_to_id.map(|u| u.0),
            resolution: t.resolution,
            created_by: PersonOut {
                id: t.creator_id.0,
                name: t.creator_name,
            },
            assigned_to: t.assigned_to_id.map(|u| PersonOut {
                id: u.0,
                name: t.assigned_to_name,
            }),
            messages_count: t.messages_count,
            waiting_on_requester: t.waiting_on_requester,
            planned: t.planned,
            downtime_minutes: t.downtime_minutes,
            merged_into_id: t.merged_into_id.map(|m| m.0),
            sla: t.reading.map(Into::into),
        }
    }
}

#[derive(Debug, Object, Deserialize)]
pub struct CreateTicketIn {
    #[oai(validator(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub title: String,
    #[oai(validator(
        max_length = 10000,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub description: String,
    #[oai(validator(
        min_length = 1,
        max_length = 20,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub room_number: String,
    #[serde(default)]
    #[oai(nullable, validator(pattern = "^(low|medium|high)$"))]
    pub priority: Option<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub category_id: Option<i64>,
    #[serde(default)]
    #[oai(nullable)]
    pub equipment_id: Option<i64>,
}

impl CreateTicketIn {
    pub fn into_domain(self) -> Result<NewTicket, ApiError> {
        let mut c = Checker::default();
        let title = c.check(&self.title, Title::parse(&self.title));
        let description = c.check(&self.description, Description::parse(&self.description));
        let room_number = c.check(&self.room_number, RoomNumber::parse(&self.room_number));
        let priority = c.check(
            &self.priority,
            self.priority
                .as_deref()
                .map_or(Ok(Priority::Medium), str::parse),
        );
        c.finish(|| {
            Some(NewTicket {
                title: title?,
                description: description?,
                room_number: room_number?,
                priority: priority?,
                category_id: self.category_id.map(CategoryId),
                equipment_id: self.equipment_id.map(EquipmentId),
            })
        })
    }
}

/// A partial update; keys present are applied. `null` clears category, equipment, assignee
/// and resolution, and is refused for the rest.
#[derive(Debug, Object, Deserialize)]
pub struct UpdateTicketIn {
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(
            max_length = 10000,
            pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(
            min_length = 1,
            max_length = 20,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub room_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable, validator(pattern = "^(low|medium|high)$"))]
    pub priority: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable, validator(pattern = "^(new|in_progress|closed)$"))]
    pub status: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub category_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub equipment_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub assigned_to_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(
            max_length = 10000,
            pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub resolution: Option<Option<String>>,
    /// Staff: the ticket waits on its requester (pauses the service-level clocks; the
    /// requester's next message clears it).
    #[serde(default)]
    #[oai(nullable)]
    pub waiting_on_requester: Option<bool>,
    /// Staff: the item's real downtime for this ticket in minutes, when it differs from filing
    /// to closing (`null`: back to that).
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable, validator(minimum(value = "0"), maximum(value = "5256000")))]
    pub downtime_minutes: Option<Option<i64>>,
}

impl UpdateTicketIn {
    pub fn into_domain(self) -> Result<TicketChanges, ApiError> {
        let mut c = Checker::default();
        let title = c.check(
            &self.title,
            required("title", self.title.clone())
                .and_then(|v| v.as_deref().map(Title::parse).transpose()),
        );
        let description = c.check(
            &self.description,
            required("description", self.description.clone())
                .and_then(|v| v.as_deref().map(Description::parse).transpose()),
        );
        let room_number = c.check(
            &self.room_number,
            required("room_number", self.room_number.clone())
                .and_then(|v| v.as_deref().map(RoomNumber::parse).transpose()),
        );
        let priority = c.check(
            &self.priority,
            required("priority", self.priority.clone())
                .and_then(|v| v.as_deref().map(str::parse::<Priority>).transpose()),
        );
        let status = c.check(
            &self.status,
            required("status", self.status.clone())
                .and_then(|v| v.as_deref().map(str::parse::<TicketStatus>).transpose()),
        );
        let resolution = c.check(
            &self.resolution,
            patch(self.resolution.clone()).try_map(|r| Resolution::parse(&r)),
        );
        let downtime = c.check(
            &self.downtime_minutes,
            match self.downtime_minutes {
                Some(Some(m)) if !(0..=5_256_000).contains(&m) => Err(FieldError::new(
                    "downtime_minutes",
                    "value_error",
                    "Downtime is 0 to 10 years in minutes",
                )),
                _ => Ok(patch(self.downtime_minutes)),
            },
        );
        c.finish(|| {
            Some(TicketChanges {
                downtime_minutes: downtime?,
                title: title?,
                description: description?,
                room_number: room_number?,
                priority: priority?,
                status: status?,
                category_id: patch(self.category_id).map(CategoryId),
                equipment_id: patch(self.equipment_id).map(EquipmentId),
                assigned_to_id: patch(self.assigned_to_id).map(UserId),
                resolution: resolution?,
                waiting_on_requester: self.waiting_on_requester,
            })
        })
    }
}

/// Which ticket a duplicate is merged into.
#[derive(Debug, Object, Deserialize)]
pub struct MergeIn {
    /// The ticket that stays (open, not itself merged away).
    #[oai(validator(minimum(value = "1"), maximum(value = "9007199254740991")))]
    pub into: i64,
}

#[derive(Debug, Object, Deserialize)]
pub struct MessageIn {
    #[oai(validator(
        min_length = 1,
        max_length = 5000,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub message: String,
    /// Staff: a note only staff see (never the requester, on any path).
    #[serde(default)]
    #[oai(nullable)]
    pub internal: Option<bool>,
}

impl MessageIn {
    /// The text, and whether it is an internal note.
    pub fn into_domain(self) -> Result<(MessageText, bool), ApiError> {
        let mut c = Checker::default();
        let text = c.check(&self.message, MessageText::parse(&self.message));
        let internal = self.internal.unwrap_or(false);
        c.finish(|| Some((text?, internal)))
    }
}

#[derive(Debug, Object)]
pub struct TicketMessageOut {
    pub id: i64,
    pub ticket_id: i64,
    pub user_id: i64,
    pub message: String,
    pub created_at: String,
    #[oai(nullable)]
    pub author_name: Option<String>,
    /// A note only staff see.
    pub internal: bool,
}

impl From<TicketMessage> for TicketMessageOut {
    fn from(m: TicketMessage) -> Self {
        Self {
            id: m.id.0,
            ticket_id: m.ticket_id.0,
            user_id: m.user_id.0,
            message: m.message,
            created_at: iso(m.created_at),
            author_name: m.author_name,
            internal: m.internal,
        }
    }
}

#[derive(Debug, Object)]
pub struct CountOut {
    pub count: i64,
}

/// One event of a ticket's timeline. `kind` says which of the other fields it fills:
/// `filed`; `message` and `note` (`text`); `attachment` (`attachment_id`, `text`: the file
/// name); `status`, `priority` (`from`, `to`); `assignee` (`from`, `to`: user ids, `text`:
/// the new assignee's name);
/// `waiting` (`to`: `true`/`false`); `sla` (`text`: `first_response_warning`,
/// `first_response_breached`, `resolution_warning`, `resolution_breached`); `edited`
/// (`fields`); `merged` (`to`: the ticket this duplicate was merged into); `merged_here`
/// (`from`: the duplicate merged into this ticket); `joined` (the actor follows it now).
#[derive(Debug, Object)]
pub struct TimelineEntryOut {
    pub at: String,
    pub kind: String,
    /// Who did it; `null` for fixdesk itself.
    #[oai(nullable)]
    pub actor_id: Option<i64>,
    #[oai(nullable)]
    pub actor_name: Option<String>,
    #[oai(nullable)]
    pub text: Option<String>,
    #[oai(nullable)]
    pub from: Option<String>,
    #[oai(nullable)]
    pub to: Option<String>,
    #[oai(nullable)]
    pub attachment_id: Option<i64>,
    pub fields: Vec<String>,
}

impl From<TimelineEntry> for TimelineEntryOut {
    fn from(e: TimelineEntry) -> Self {
        let mut out = Self {
            at: iso(e.at),
            kind: e.event.kind().into(),
            actor_id: e.actor_id.map(|u| u.0),
            actor_name: e.actor_name,
            text: None,
            from: None,
            to: None,
            attachment_id: None,
            fields: Vec::new(),
        };
        match e.event {
            TimelineEvent::Filed => {}
            TimelineEvent::Message { text, .. } => out.text = Some(text),
            TimelineEvent::Attachment { id, filename } => {
                out.attachment_id = Some(id);
                out.text = Some(filename);
            }
            TimelineEvent::Status { from, to } | TimelineEvent::Priority { from, to } => {
                out.from = from;
                out.to = Some(to);
            }
            TimelineEvent::Assignee { from, to, to_name } => {
                out.from = from.map(|u| u.to_string());
                out.to = to.map(|u| u.to_string());
                out.text = to_name;
            }
            TimelineEvent::Waiting(on) => out.to = Some(on.to_string()),
            TimelineEvent::Sla(event) => out.text = Some(event),
            TimelineEvent::Edited(fields) => out.fields = fields,
            TimelineEvent::MergedInto(id) => out.to = Some(id.to_string()),
            TimelineEvent::MergedFrom(id) => out.from = Some(id.to_string()),
            TimelineEvent::Joined => {}
        }
        out
    }
}
