//! Service levels: business calendars, the policies that set targets on them, and the clocks
//! each ticket runs against its policy.

mod calendar;
mod clock;
mod policy;
pub mod statistics;

pub use calendar::{BusinessCalendar, Holiday, WorkingHours};
pub use clock::{ClockReading, SlaEvent, SlaReading, SlaStage, TicketSla, WARN_AT_PERCENT};
pub use policy::{Escalation, SlaPolicy, choose};

use serde::{Deserialize, Serialize};

/// A business calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CalendarId(pub i64);

/// A service-level policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PolicyId(pub i64);

/// A calendar as stored, with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCalendar {
    pub id: CalendarId,
    pub name: String,
    pub calendar: BusinessCalendar,
}

/// Every calendar and policy of the desk: small, read whole, held in memory by the service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaBook {
    pub calendars: Vec<NamedCalendar>,
    pub policies: Vec<SlaPolicy>,
}

impl SlaBook {
    pub fn calendar(&self, id: CalendarId) -> Option<&BusinessCalendar> {
        self.calendars
            .iter()
            .find(|c| c.id == id)
            .map(|c| &c.calendar)
    }

    pub fn policy(&self, id: PolicyId) -> Option<&SlaPolicy> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// The policy a ticket of this category and priority runs under, with its calendar.
    pub fn for_ticket(
        &self,
        category: Option<crate::CategoryId>,
        priority: crate::Priority,
    ) -> Option<(&SlaPolicy, &BusinessCalendar)> {
        let policy = choose(&self.policies, category, priority)?;
        Some((policy, self.calendar(policy.calendar_id)?))
    }

    /// A stored policy with its calendar (`None` once either is deleted).
    pub fn rules_of(&self, id: PolicyId) -> Option<(&SlaPolicy, &BusinessCalendar)> {
        let policy = self.policy(id)?;
        Some((policy, self.calendar(policy.calendar_id)?))
    }
}

/// The longest target a policy may set, in working minutes (a year of round-the-clock work).
const MAX_TARGET_MINUTES: i64 = 366 * 24 * 60;

/// A calendar as an admin writes it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDraft {
    pub name: String,
    pub calendar: BusinessCalendar,
}

impl CalendarDraft {
    /// `week`: seven entries, Monday first, each `09:00-18:00` or empty/`None` for a day off.
    pub fn parse(
        name: &str,
        time_zone: &str,
        week: &[Option<String>],
        holidays: &[String],
    ) -> Result<Self, crate::DomainError> {
        let mut errors = Vec::new();
        let name = crate::text::line("name", name, 1, 100).map_err(|e| errors.push(e));
        let zone = time_zone.trim().parse::<chrono_tz::Tz>().map_err(|_| {
            errors.push(crate::FieldError::new(
                "time_zone",
                "value_error",
                "Unknown time zone: use a name of the time-zone database such as Europe/Moscow",
            ))
        });
        if week.len() != 7 {
            errors.push(crate::FieldError::new(
                "working_hours",
                "value_error",
                "Working hours name seven days, Monday first (null for a day off)",
            ));
        }
        let mut days = [None; 7];
        for (slot, day) in days.iter_mut().zip(week) {
            if let Some(d) = day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                match WorkingHours::parse("working_hours", d) {
                    Ok(h) => *slot = Some(h),
                    Err(e) => errors.push(e),
                }
            }
        }
        // A week without working minutes never reaches a due time.
        if week.len() == 7 && errors.is_empty() && days.iter().all(Option::is_none) {
            errors.push(crate::FieldError::new(
                "working_hours",
                "value_error",
                "A calendar needs working hours on at least one day of the week",
            ));
        }
        let holidays: Vec<Holiday> = holidays
            .iter()
            .filter_map(|h| Holiday::parse(h).map_err(|e| errors.push(e)).ok())
            .collect();
        match (name, zone) {
            (Ok(name), Ok(zone)) if errors.is_empty() => Ok(Self {
                name,
                calendar: BusinessCalendar {
                    zone,
                    week: days,
                    holidays,
                },
            }),
            _ => Err(crate::DomainError::Invalid(errors)),
        }
    }
}

/// A policy as an admin writes it, checked (that its calendar, category and escalation target
/// exist is for the service to see).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDraft {
    pub name: String,
    pub category_id: Option<crate::CategoryId>,
    pub priority: Option<crate::Priority>,
    pub calendar_id: CalendarId,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
    pub escalation: Escalation,
}

impl PolicyDraft {
    /// Checks the name and that both targets are between a minute and a year, the first
    /// response no later than the resolution.
    pub fn checked(mut self) -> Result<Self, crate::DomainError> {
        let mut errors = Vec::new();
        match crate::text::line("name", &self.name, 1, 100) {
            Ok(n) => self.name = n,
            Err(e) => errors.push(e),
        }
        for (field, minutes) in [
            ("first_response_minutes", self.first_response_minutes),
            ("resolution_minutes", self.resolution_minutes),
        ] {
            if !(1..=MAX_TARGET_MINUTES).contains(&minutes) {
                errors.push(crate::FieldError::new(
                    field,
                    "value_error",
                    format!("A target is between 1 and {MAX_TARGET_MINUTES} working minutes"),
                ));
            }
        }
        if errors.is_empty() && self.first_response_minutes > self.resolution_minutes {
            errors.push(crate::FieldError::new(
                "first_response_minutes",
                "value_error",
                "The first response cannot be due after the resolution",
            ));
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(crate::DomainError::Invalid(errors))
        }
    }

    pub fn into_policy(self, id: PolicyId) -> SlaPolicy {
        SlaPolicy {
            id,
            name: self.name,
            category_id: self.category_id,
            priority: self.priority,
            calendar_id: self.calendar_id,
            first_response_minutes: self.first_response_minutes,
            resolution_minutes: self.resolution_minutes,
            escalation: self.escalation,
        }
    }
}
