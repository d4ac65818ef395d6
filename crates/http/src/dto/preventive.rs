//! Preventive maintenance schedules on the wire.

use chrono::NaiveDate;
use fixdesk_usecases::{
    ServiceDue,
    domain::{
        CategoryId, EquipmentId, FieldError,
        preventive::{Period, Schedule, ScheduleDraft, YearDays},
        reliability::Figures,
    },
};
use poem_openapi::Object;
use serde::Deserialize;

use crate::{error::ApiError, validation::Checker};

/// A schedule: one item (`equipment_id`) or every item of a category (`category_id`), every
/// `every` `unit`s (`days`, `weeks`, `months`) from `starts_on`, or (`unit`: `dates`) on the
/// `dates` of every year (`MM-DD`) from `starts_on`; its ticket opens `lead_days` before each
/// due date.
#[derive(Debug, Object, Deserialize)]
pub struct ScheduleIn {
    pub title: String,
    #[serde(default)]
    #[oai(nullable)]
    pub equipment_id: Option<i64>,
    #[serde(default)]
    #[oai(nullable)]
    pub category_id: Option<i64>,
    #[serde(default)]
    #[oai(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    #[oai(default)]
    pub every: i64,
    pub unit: String,
    /// With `unit` `dates`: `["03-01", "09-15"]`.
    #[serde(default)]
    #[oai(default)]
    pub dates: Vec<String>,
    /// The first due date, `YYYY-MM-DD`.
    pub starts_on: String,
    #[serde(default)]
    #[oai(default)]
    pub lead_days: u32,
    #[serde(default = "on")]
    #[oai(default = "on")]
    pub enabled: bool,
}

fn on() -> bool {
    true
}

impl ScheduleIn {
    pub fn into_domain(self) -> Result<ScheduleDraft, ApiError> {
        let mut c = Checker::default();
        let period = if self.unit.trim() == "dates" {
            c.check(&self.dates, YearDays::parse(&self.dates).map(Period::Dates))
        } else {
            c.check(&self.every, Period::parse(&self.unit, self.every))
        };
        let starts_on = c.check(
            &self.starts_on,
            NaiveDate::parse_from_str(self.starts_on.trim(), "%Y-%m-%d")
                .map_err(|_| FieldError::new("starts_on", "date_parsing", "A date, YYYY-MM-DD")),
        );
        let draft = c.finish(|| {
            Some(ScheduleDraft {
                title: self.title,
                equipment_id: self.equipment_id.map(EquipmentId),
                category_id: self.category_id.map(CategoryId),
                checklist: self.checklist,
                period: period?,
                starts_on: starts_on?,
                lead_days: self.lead_days,
                enabled: self.enabled,
            })
        })?;
        Ok(draft.checked()?)
    }
}

#[derive(Debug, Object)]
pub struct ScheduleOut {
    pub id: i64,
    pub title: String,
    #[oai(nullable)]
    pub equipment_id: Option<i64>,
    #[oai(nullable)]
    pub category_id: Option<i64>,
    pub checklist: Vec<String>,
    pub every: u32,
    pub unit: String,
    /// The dates of the year (`unit` `dates`), else empty.
    pub dates: Vec<String>,
    pub starts_on: String,
    pub lead_days: u32,
    pub enabled: bool,
    pub created_by: i64,
}

impl From<Schedule> for ScheduleOut {
    fn from(s: Schedule) -> Self {
        Self {
            id: s.id.0,
            title: s.title,
            equipment_id: s.equipment_id.map(|e| e.0),
            category_id: s.category_id.map(|c| c.0),
            checklist: s.checklist,
            every: s.period.count(),
            dates: match s.period {
                Period::Dates(days) => days.to_list(),
                _ => Vec::new(),
            },
            unit: s.period.unit().into(),
            starts_on: s.starts_on.to_string(),
            lead_days: s.lead_days,
            enabled: s.enabled,
            created_by: s.created_by.0,
        }
    }
}

/// An item due for service under a schedule.
#[derive(Debug, Object)]
pub struct ServiceDueOut {
    pub schedule_id: i64,
    pub title: String,
    pub equipment_id: i64,
    pub next_due: String,
    /// The maintenance ticket open for it, if one is.
    #[oai(nullable)]
    pub open_ticket_id: Option<i64>,
}

impl From<ServiceDue> for ServiceDueOut {
    fn from(d: ServiceDue) -> Self {
        Self {
            schedule_id: d.schedule_id.0,
            title: d.title,
            equipment_id: d.equipment_id.0,
            next_due: d.next_due.to_string(),
            open_ticket_id: d.open_ticket.map(|t| t.0),
        }
    }
}

/// One row of the reliability report.
#[derive(Debug, Object)]
pub struct ReliabilityOut {
    /// The item's id, or the model, category id or location (empty: none given).
    pub key: String,
    pub label: String,
    pub items: i64,
    pub failures: i64,
    pub repairs: i64,
    /// Hours in use per failure; `null` without failures.
    #[oai(nullable)]
    pub mtbf_hours: Option<f64>,
    /// Hours from filing to closing per repair; `null` without repairs.
    #[oai(nullable)]
    pub mttr_hours: Option<f64>,
    pub downtime_hours: f64,
    /// Maintenance cost per currency, as decimal strings.
    pub costs: Vec<CostOut>,
}

#[derive(Debug, Object)]
pub struct CostOut {
    pub amount: String,
    pub currency: String,
}

impl From<Figures> for ReliabilityOut {
    fn from(f: Figures) -> Self {
        Self {
            key: f.key,
            label: f.label,
            items: f.tally.items,
            failures: f.tally.failures,
            repairs: f.tally.repairs,
            mtbf_hours: f.mtbf_hours,
            mttr_hours: f.mttr_hours,
            downtime_hours: f.downtime_hours,
            costs: f
                .costs
                .into_iter()
                .map(|c| CostOut {
                    amount: c.amount(),
                    currency: c.currency,
                })
                .collect(),
        }
    }
}
