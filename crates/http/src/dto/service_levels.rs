//! Business calendars and service-level policies on the wire.

use fixdesk_usecases::domain::{
    CategoryId, DomainError, Priority, UserId,
    sla::{CalendarDraft, CalendarId, Escalation, NamedCalendar, PolicyDraft, SlaPolicy},
};
use poem_openapi::Object;
use serde::Deserialize;

use crate::error::ApiError;

/// When a desk works.
#[derive(Debug, Object, Deserialize)]
pub struct CalendarIn {
    pub name: String,
    /// A name of the time-zone database: `Europe/Moscow`, `UTC`.
    pub time_zone: String,
    /// Seven days, Monday first: `"09:00-18:00"`, or `null` for a day off.
    pub working_hours: Vec<Option<String>>,
    /// `"2026-12-31"` once, `"01-01"` every year.
    #[serde(default)]
    #[oai(default)]
    pub holidays: Vec<String>,
}

impl CalendarIn {
    pub fn into_domain(self) -> Result<CalendarDraft, ApiError> {
        Ok(CalendarDraft::parse(
            &self.name,
            &self.time_zone,
            &self.working_hours,
            &self.holidays,
        )?)
    }
}

#[derive(Debug, Object)]
pub struct CalendarOut {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    /// Seven days, Monday first; `null` for a day off.
    pub working_hours: Vec<Option<String>>,
    pub holidays: Vec<String>,
}

impl From<NamedCalendar> for CalendarOut {
    fn from(c: NamedCalendar) -> Self {
        Self {
            id: c.id.0,
            name: c.name,
            time_zone: c.calendar.zone.name().to_string(),
            working_hours: c
                .calendar
                .week
                .iter()
                .map(|d| d.map(|h| h.to_text()))
                .collect(),
            holidays: c.calendar.holidays.iter().map(|h| h.to_text()).collect(),
        }
    }
}

/// Targets for the tickets a policy matches: by category, by priority, both, or neither (the
/// default). The most specific policy wins.
#[derive(Debug, Object, Deserialize)]
pub struct PolicyIn {
    pub name: String,
    #[serde(default)]
    #[oai(nullable)]
    pub category_id: Option<i64>,
    /// `low`, `medium` or `high`; `null` for any.
    #[serde(default)]
    #[oai(nullable)]
    pub priority: Option<String>,
    pub calendar_id: i64,
    /// Working minutes until the first staff answer is due.
    pub first_response_minutes: i64,
    /// Working minutes until the ticket should be closed.
    pub resolution_minutes: i64,
    /// At a broken resolution target, raise the priority one step.
    #[serde(default)]
    #[oai(default)]
    pub escalate_raise_priority: bool,
    /// At a broken resolution target, give the ticket to this staff member.
    #[serde(default)]
    #[oai(nullable)]
    pub escalate_to_id: Option<i64>,
}

impl PolicyIn {
    pub fn into_domain(self) -> Result<PolicyDraft, ApiError> {
        let priority = match self.priority.as_deref() {
            Some(p) => Some(p.parse::<Priority>().map_err(DomainError::from)?),
            None => None,
        };
        Ok(PolicyDraft {
            name: self.name,
            category_id: self.category_id.map(CategoryId),
            priority,
            calendar_id: CalendarId(self.calendar_id),
            first_response_minutes: self.first_response_minutes,
            resolution_minutes: self.resolution_minutes,
            escalation: Escalation {
                raise_priority: self.escalate_raise_priority,
                reassign_to: self.escalate_to_id.map(UserId),
            },
        })
    }
}

#[derive(Debug, Object)]
pub struct PolicyOut {
    pub id: i64,
    pub name: String,
    #[oai(nullable)]
    pub category_id: Option<i64>,
    #[oai(nullable)]
    pub priority: Option<String>,
    pub calendar_id: i64,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
    pub escalate_raise_priority: bool,
    #[oai(nullable)]
    pub escalate_to_id: Option<i64>,
}

impl From<SlaPolicy> for PolicyOut {
    fn from(p: SlaPolicy) -> Self {
        Self {
            id: p.id.0,
            name: p.name,
            category_id: p.category_id.map(|c| c.0),
            priority: p.priority.map(|p| p.as_str().to_string()),
            calendar_id: p.calendar_id.0,
            first_response_minutes: p.first_response_minutes,
            resolution_minutes: p.resolution_minutes,
            escalate_raise_priority: p.escalation.raise_priority,
            escalate_to_id: p.escalation.reassign_to.map(|u| u.0),
        }
    }
}
