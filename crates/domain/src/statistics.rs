//! Shapes of the statistics the admin dashboard shows.

use crate::{FieldError, Priority, TicketStatus, UserId};

/// A look-back window of `tickets-by-period`: the last N calendar days (UTC), today included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsPeriod {
    Day,
    Week,
    Month,
    Year,
}

impl StatsPeriod {
    pub fn days(self) -> u32 {
        match self {
            StatsPeriod::Day => 1,
            StatsPeriod::Week => 7,
            StatsPeriod::Month => 30,
            StatsPeriod::Year => 365,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatsPeriod::Day => "day",
            StatsPeriod::Week => "week",
            StatsPeriod::Month => "month",
            StatsPeriod::Year => "year",
        }
    }
}

impl std::str::FromStr for StatsPeriod {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            StatsPeriod::Day,
            StatsPeriod::Week,
            StatsPeriod::Month,
            StatsPeriod::Year,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
        .ok_or_else(|| {
            FieldError::new(
                "period",
                "enum",
                "Input should be 'day', 'week', 'month' or 'year'",
            )
        })
    }
}

/// `part / whole`, 0 when there is no whole; never above 1 since `part ⊆ whole`.
pub fn rate(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Average hours from a sum of seconds over `n` items, rounded to hundredths.
pub fn average_hours(seconds: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| ((seconds as f64 / n as f64 / 3600.0) * 100.0).round() / 100.0)
}

#[derive(Debug, Clone, PartialEq)]
pub struct TicketSummary {
    pub total: i64,
    pub by_status: Vec<(TicketStatus, i64)>,
    pub by_priority: Vec<(Priority, i64)>,
    pub avg_resolution_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgentPerformance {
    pub agent_id: UserId,
    pub agent_name: Option<String>,
    pub assigned: i64,
    pub resolved: i64,
    pub resolution_rate: f64,
    pub avg_resolution_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeriodStats {
    pub period: StatsPeriod,
    pub new_tickets: i64,
    pub resolved_tickets: i64,
    pub in_progress_tickets: i64,
    /// Of the tickets filed in the period, the share now closed.
    pub resolution_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserActivity {
    pub user_id: UserId,
    pub username: String,
    pub full_name: Option<String>,
    pub ticket_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages() {
        assert_eq!(rate(0, 0), 0.0);
        assert_eq!(rate(1, 4), 0.25);
        assert_eq!(average_hours(0, 0), None);
        assert_eq!(average_hours(5400, 1), Some(1.5));
        assert_eq!(average_hours(3600, 3), Some(0.33));
        assert_eq!("week".parse::<StatsPeriod>().map(StatsPeriod::days), Ok(7));
        assert!("fortnight".parse::<StatsPeriod>().is_err());
    }
}
