//! Assignment rules and absences on the wire.

use chrono::NaiveDate;
use fixdesk_usecases::domain::{
    CategoryId, UserId,
    assignment::{Absence, AssignmentRule, NewAbsence, RuleDraft, Strategy},
};
use poem_openapi::Object;
use serde::Deserialize;

use crate::{dto::params::date_or_datetime, error::ApiError};

/// Who takes a category's new tickets.
#[derive(Debug, Object, Deserialize)]
pub struct RuleIn {
    pub category_id: i64,
    /// `round_robin` (each in turn) or `least_open` (whoever holds the fewest open tickets).
    pub strategy: String,
    /// The group, in order; inactive and absent agents are skipped.
    pub agent_ids: Vec<i64>,
    /// Off by default.
    #[serde(default)]
    #[oai(default)]
    pub enabled: bool,
}

impl RuleIn {
    pub fn into_domain(self) -> Result<RuleDraft, ApiError> {
        let strategy =
            Strategy::parse(&self.strategy).map_err(fixdesk_usecases::domain::DomainError::from)?;
        Ok(RuleDraft {
            category_id: CategoryId(self.category_id),
            strategy,
            agents: self.agent_ids.into_iter().map(UserId).collect(),
            enabled: self.enabled,
        })
    }
}

#[derive(Debug, Object)]
pub struct RuleOut {
    pub id: i64,
    pub category_id: i64,
    pub strategy: String,
    pub agent_ids: Vec<i64>,
    pub enabled: bool,
}

impl From<AssignmentRule> for RuleOut {
    fn from(r: AssignmentRule) -> Self {
        Self {
            id: r.id.0,
            category_id: r.category_id.0,
            strategy: r.strategy.as_str().into(),
            agent_ids: r.agents.into_iter().map(|a| a.0).collect(),
            enabled: r.enabled,
        }
    }
}

/// A time away, both days included (`2026-12-24`).
#[derive(Debug, Object, Deserialize)]
pub struct AbsenceIn {
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    #[oai(nullable)]
    pub note: Option<String>,
}

fn day(field: &'static str, raw: &str) -> Result<NaiveDate, ApiError> {
    Ok(date_or_datetime(field, raw)
        .map_err(fixdesk_usecases::domain::DomainError::from)?
        .date())
}

impl AbsenceIn {
    pub fn into_domain(self) -> Result<NewAbsence, ApiError> {
        let starts = day("starts_on", &self.starts_on)?;
        let ends = day("ends_on", &self.ends_on)?;
        Ok(NewAbsence::new(starts, ends, self.note.as_deref())?)
    }
}

#[derive(Debug, Object)]
pub struct AbsenceOut {
    pub id: i64,
    pub user_id: i64,
    pub starts_on: String,
    pub ends_on: String,
    #[oai(nullable)]
    pub note: Option<String>,
}

impl From<Absence> for AbsenceOut {
    fn from(a: Absence) -> Self {
        Self {
            id: a.id,
            user_id: a.user_id.0,
            starts_on: a.starts_on.to_string(),
            ends_on: a.ends_on.to_string(),
            note: a.note,
        }
    }
}
