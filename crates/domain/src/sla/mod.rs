//! Service levels: business calendars, the policies that set targets on them, and the clocks
//! each ticket runs against its policy.

mod calendar;
mod clock;
mod policy;

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
