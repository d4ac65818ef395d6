//! Repair tickets: their values, the status workflow and who may do what to them.

mod policy;
mod priority;
mod rules;
mod status;
mod values;

pub use policy::{
    Access, TicketField, ensure_can_change, ensure_can_close, ensure_can_follow, ensure_can_merge,
    ensure_can_work, visibility,
};
pub use priority::Priority;
pub use rules::DeskRules;
pub use status::{TicketStatus, Transition};
pub use values::{Description, Resolution, RoomNumber, Title};

use chrono::NaiveDateTime;

use crate::{
    Actor, CategoryId, EquipmentId, Page, Patch, TicketId, UserId,
    sla::{SlaReading, TicketSla},
};

/// A ticket as read, with the names of the people on it (so no client needs extra lookups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: TicketId,
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub status: TicketStatus,
    pub category_id: Option<CategoryId>,
    pub room_number: String,
    pub equipment_id: Option<EquipmentId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the ticket was last closed; cleared on reopening.
    pub closed_at: Option<NaiveDateTime>,
    /// When the status last changed (the creation time until then).
    pub status_changed_at: NaiveDateTime,
    pub creator_id: UserId,
    pub creator_name: Option<String>,
    pub assigned_to_id: Option<UserId>,
    pub assigned_to_name: Option<String>,
    pub resolution: Option<String>,
    pub hidden_for_creator: bool,
    pub messages_count: i64,
    /// Who wrote the last message of the thread (none yet: `None`); internal notes do not
    /// count, they are no answer.
    pub last_message_by: Option<UserId>,
    /// How many of the messages are internal notes (staff only).
    pub internal_messages_count: i64,
    /// Staff wait for the requester's answer: the service-level clocks are paused.
    /// Opened by a preventive-maintenance schedule: service, not a failure.
    pub planned: bool,
    /// The item's downtime for this ticket as staff corrected it; else filing to closing.
    pub downtime_minutes: Option<i64>,
    pub waiting_on_requester: bool,
    /// Closed as a duplicate of this ticket (its requester follows that one now).
    pub merged_into_id: Option<TicketId>,
    /// The service-level clocks, when a policy applies.
    pub sla: Option<TicketSla>,
    /// The clocks as they read when the ticket was answered: staff only, filled in by the
    /// service (never stored).
    pub reading: Option<SlaReading>,
}

impl Ticket {
    pub fn is_assigned_to(&self, user: UserId) -> bool {
        self.assigned_to_id == Some(user)
    }

    /// The ticket as `actor` may see it: a requester sees neither the staff's internal notes
    /// (not even in the count) nor the desk's service-level clocks.
    pub fn seen_by(mut self, actor: &Actor) -> Self {
        if !actor.role.is_staff() {
            self.messages_count -= self.internal_messages_count;
            self.internal_messages_count = 0;
            self.sla = None;
            self.reading = None;
        }
        self
    }

    /// Whether the desk owes the creator an answer: the ticket is open and nobody but the
    /// creator has written last.
    pub fn awaits_reply(&self) -> bool {
        self.status != TicketStatus::Closed
            && self.last_message_by.is_none_or(|u| u == self.creator_id)
    }
}

/// What a user supplies to file a ticket.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub title: Title,
    pub description: Description,
    pub room_number: RoomNumber,
    pub priority: Priority,
    pub category_id: Option<CategoryId>,
    pub equipment_id: Option<EquipmentId>,
}

/// A partial update of a ticket; `Absent` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct TicketChanges {
    pub title: Option<Title>,
    pub description: Option<Description>,
    pub room_number: Option<RoomNumber>,
    pub priority: Option<Priority>,
    pub category_id: Patch<CategoryId>,
    pub equipment_id: Patch<EquipmentId>,
    pub status: Option<TicketStatus>,
    pub assigned_to_id: Patch<UserId>,
    pub resolution: Patch<Resolution>,
    pub waiting_on_requester: Option<bool>,
    /// Staff: the item's real downtime for this ticket, in minutes (`Null`: back to filing to
    /// closing).
    pub downtime_minutes: Patch<i64>,
}

impl TicketChanges {
    /// The fields this change would actually alter on `t` (a value equal to the current one is
    /// no change, so clients that send back unchanged fields are not refused).
    pub fn altered_fields(&self, t: &Ticket) -> Vec<TicketField> {
        fn differs<T: PartialEq>(p: &Patch<T>, current: Option<&T>) -> bool {
            match p {
                Patch::Absent => false,
                Patch::Null => current.is_some(),
                Patch::Value(v) => current != Some(v),
            }
        }
        let mut fields = Vec::new();
        let mut note = |changed: bool, f: TicketField| {
            if changed {
                fields.push(f);
            }
        };
        note(
            self.title.as_ref().is_some_and(|v| v.as_str() != t.title),
            TicketField::Title,
        );
        note(
            self.description
                .as_ref()
                .is_some_and(|v| v.as_str() != t.description),
            TicketField::Description,
        );
        note(
            self.room_number
                .as_ref()
                .is_some_and(|v| v.as_str() != t.room_number),
            TicketField::RoomNumber,
        );
        note(
            self.priority.is_some_and(|v| v != t.priority),
            TicketField::Priority,
        );
        note(
            differs(&self.category_id, t.category_id.as_ref()),
            TicketField::CategoryId,
        );
        note(
            differs(&self.equipment_id, t.equipment_id.as_ref()),
            TicketField::EquipmentId,
        );
        note(
            self.status.is_some_and(|v| v != t.status),
            TicketField::Status,
        );
        note(
            differs(&self.assigned_to_id, t.assigned_to_id.as_ref()),
            TicketField::AssignedToId,
        );
        note(
            self.waiting_on_requester
                .is_some_and(|v| v != t.waiting_on_requester),
            TicketField::WaitingOnRequester,
        );
        note(
            differs(&self.downtime_minutes, t.downtime_minutes.as_ref()),
            TicketField::DowntimeMinutes,
        );
        let current_resolution = t.resolution.clone().map(Resolution::from_stored);
        note(
            differs(&self.resolution, current_resolution.as_ref()),
            TicketField::Resolution,
        );
        fields
    }
}

/// Columns a ticket list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketSortKey {
    CreatedAt,
    UpdatedAt,
    Priority,
    Status,
    Id,
    /// When the running resolution clock is due (tickets whose clock stands still — paused,
    /// closed, or no policy — last).
    DueAt,
}

impl TicketSortKey {
    pub const ALL: [TicketSortKey; 6] = [
        TicketSortKey::CreatedAt,
        TicketSortKey::UpdatedAt,
        TicketSortKey::Priority,
        TicketSortKey::Status,
        TicketSortKey::Id,
        TicketSortKey::DueAt,
    ];

    /// The name the list's `sort` parameter uses.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketSortKey::CreatedAt => "created_at",
            TicketSortKey::UpdatedAt => "updated_at",
            TicketSortKey::Priority => "priority",
            TicketSortKey::Status => "status",
            TicketSortKey::Id => "id",
            TicketSortKey::DueAt => "due_at",
        }
    }
}

/// An ordering; ties are always broken by id in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketSort {
    pub key: TicketSortKey,
    pub descending: bool,
}

impl Default for TicketSort {
    fn default() -> Self {
        Self {
            key: TicketSortKey::CreatedAt,
            descending: true,
        }
    }
}

impl std::fmt::Display for TicketSort {
    /// As the `sort` parameter reads it: `-created_at`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.descending { "-" } else { "" };
        write!(f, "{sign}{}", self.key.as_str())
    }
}

impl std::str::FromStr for TicketSort {
    type Err = crate::FieldError;

    /// `created_at`, `-updated_at`, … as the list endpoint's `sort` parameter takes them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (descending, name) = match s.strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, s),
        };
        let key = TicketSortKey::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                crate::FieldError::new(
                    "sort",
                    "enum",
                    "Input should be one of created_at, updated_at, priority, status, id, due_at (prefix - for descending)",
                )
            })?;
        Ok(Self { key, descending })
    }
}

/// Which tickets a list shows.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub category_id: Option<CategoryId>,
    pub assigned_to_id: Option<UserId>,
    pub creator_id: Option<UserId>,
    pub equipment_id: Option<EquipmentId>,
    /// Text looked for in title, description, room and messages (the full-text index; words
    /// shorter than the index takes, in title and description as typed); a number also finds
    /// the ticket with that id, a room its tickets exactly; the service adds the people whose
    /// name matches (`search_authors`).
    pub search: Option<String>,
    /// Filed by one of these people (a name search's matches), as an alternative to the text.
    pub search_authors: Vec<UserId>,
    /// Only tickets nobody holds.
    pub unassigned: bool,
    /// Only tickets not closed.
    pub open_only: bool,
    /// An agent's working list: the queue (new, nobody holds them) and the open tickets this
    /// person holds.
    pub work_of: Option<UserId>,
    /// Set by the service for users: only their own, non-hidden tickets.
    pub visible_to_creator: Option<UserId>,
    /// Only open tickets whose running resolution clock falls due in this window (from,
    /// until): "overdue" is `(None, now)`, "due today" `(None, end of today)`. Paused clocks
    /// (waiting on the requester) are not due.
    pub due_between: Option<(Option<NaiveDateTime>, NaiveDateTime)>,
    /// A named window of due times, which the service turns into `due_between` with its own
    /// clock.
    pub due: Option<DueView>,
}

/// The due-time views of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueView {
    /// Past due now.
    Overdue,
    /// Due before the end of today in this zone (the overdue included).
    Today(chrono_tz::Tz),
}

impl DueView {
    /// The window of due times the view means at `now` (UTC).
    pub fn window(self, now: NaiveDateTime) -> (Option<NaiveDateTime>, NaiveDateTime) {
        use chrono::TimeZone as _;
        match self {
            DueView::Overdue => (None, now),
            DueView::Today(zone) => {
                let tomorrow = zone.from_utc_datetime(&now).date_naive() + chrono::Days::new(1);
                let midnight = tomorrow.and_hms_opt(0, 0, 0).unwrap_or(now);
                let end = zone
                    .from_local_datetime(&midnight)
                    .earliest()
                    .map_or(midnight, |t| t.naive_utc());
                (None, end)
            }
        }
    }
}

/// A list request: filters, order and window.
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    pub filter: TicketFilter,
    pub sort: TicketSort,
    pub page: Page,
    /// Count at most this many matches, the total then being a lower bound ("10,000+"): a page
    /// costs the same whatever the table holds. `None`: the exact total (the API's
    /// `X-Total-Count`).
    pub count_limit: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_ends_at_the_zones_midnight() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|d| d.and_hms_opt(22, 30, 0))
            .unwrap();
        // 22:30 UTC is already 01:30 tomorrow in Moscow: its day ends at 21:00 UTC tomorrow.
        let (_, end) = DueView::Today(chrono_tz::Europe::Moscow).window(now);
        assert_eq!(end.to_string(), "2026-12-08 21:00:00");
        assert_eq!(
            DueView::Today(chrono_tz::UTC).window(now).1.to_string(),
            "2026-12-08 00:00:00"
        );
        assert_eq!(DueView::Overdue.window(now), (None, now));
    }

    #[test]
    fn sort_parses_keys_and_direction() {
        assert_eq!(
            "-created_at".parse::<TicketSort>().ok(),
            Some(TicketSort::default())
        );
        assert_eq!(
            "priority".parse::<TicketSort>().ok(),
            Some(TicketSort {
                key: TicketSortKey::Priority,
                descending: false
            })
        );
        assert!("title".parse::<TicketSort>().is_err());
    }
}
