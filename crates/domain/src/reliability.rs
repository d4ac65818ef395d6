//! How reliable equipment is over a period: failures (tickets filed about it, planned
//! maintenance aside), MTBF (mean time between failures: the time in use, the period less the
//! time it was down, per failure) and MTTR (mean time to repair: filing to closing), downtime
//! (repairs plus the downtime maintenance records give) and maintenance cost — per item, or
//! summed over a model, category or location.

use std::{collections::BTreeMap, fmt};

use crate::{FieldError, money::Money};

/// What the figures are summed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Item,
    Model,
    Category,
    Location,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [
        GroupBy::Item,
        GroupBy::Model,
        GroupBy::Category,
        GroupBy::Location,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Item => "item",
            GroupBy::Model => "model",
            GroupBy::Category => "category",
            GroupBy::Location => "location",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == raw.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "by",
                    "enum",
                    "Input should be 'item', 'model', 'category' or 'location'",
                )
            })
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The raw sums of one group over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Items in the group (each is in use for the whole period).
    pub items: i64,
    pub failures: i64,
    pub repairs: i64,
    pub repair_minutes: i64,
    /// The items' downtime under those repairs (filing to closing unless staff corrected it).
    pub downtime_minutes: i64,
    /// Downtime recorded on maintenance (planned service).
    pub maintenance_minutes: i64,
    /// Maintenance cost per currency, in minor units.
    pub costs: BTreeMap<String, i64>,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.items += other.items;
        self.failures += other.failures;
        self.repairs += other.repairs;
        self.repair_minutes += other.repair_minutes;
        self.downtime_minutes += other.downtime_minutes;
        self.maintenance_minutes += other.maintenance_minutes;
        for (currency, minor) in &other.costs {
            *self.costs.entry(currency.clone()).or_default() += minor;
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// What the row is: an item's id, or the model, category id or location as text.
    pub key: String,
    /// The name shown for it.
    pub label: String,
    pub tally: Tally,
    /// Hours in use per failure; `None` without failures.
    pub mtbf_hours: Option<f64>,
    /// Hours from filing to closing per repair; `None` without repairs.
    pub mttr_hours: Option<f64>,
    pub downtime_hours: f64,
    pub costs: Vec<Money>,
}

impl Figures {
    /// The figures of `tally` over a period of `period_minutes`.
    pub fn of(key: String, label: String, tally: Tally, period_minutes: i64) -> Self {
        let down = tally.downtime_minutes + tally.maintenance_minutes;
        let in_use = (tally.items * period_minutes - down).max(0);
        let hours = |minutes: i64, per: i64| (per > 0).then(|| minutes as f64 / per as f64 / 60.0);
        Figures {
            mtbf_hours: hours(in_use, tally.failures),
            mttr_hours: hours(tally.repair_minutes, tally.repairs),
            downtime_hours: down as f64 / 60.0,
            costs: tally
                .costs
                .iter()
                .map(|(currency, minor)| Money {
                    minor: *minor,
                    currency: currency.clone(),
                })
                .collect(),
            key,
            label,
            tally,
        }
    }
}

/// Most failures first, then the shortest MTBF, then by name.
pub fn rank(rows: &mut [Figures]) {
    rows.sort_by(|a, b| {
        b.tally
            .failures
            .cmp(&a.tally.failures)
            .then(
                a.mtbf_hours
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.mtbf_hours.unwrap_or(f64::MAX)),
            )
            .then_with(|| a.label.cmp(&b.label))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtbf_and_mttr_of_a_hand_checked_month() {
        // One printer over 30 days: two failures, repaired in 2 h and 4 h.
        let tally = Tally {
            items: 1,
            failures: 2,
            repairs: 2,
            repair_minutes: 360,
            downtime_minutes: 360,
            maintenance_minutes: 30,
            costs: BTreeMap::from([("EUR".to_string(), 12_550)]),
        };
        let f = Figures::of("1".into(), "HP 400".into(), tally, 30 * 24 * 60);
        // (43,200 − 360 − 30) min in use / 2 failures = 21,405 min = 356.75 h.
        assert_eq!(f.mtbf_hours, Some(356.75));
        assert_eq!(f.mttr_hours, Some(3.0));
        assert_eq!(f.downtime_hours, 6.5);
        assert_eq!(f.costs[0].to_string(), "125.50 EUR");
        let quiet = Figures::of("2".into(), "Quiet".into(), Tally::default(), 60);
        assert_eq!((quiet.mtbf_hours, quiet.mttr_hours), (None, None));
    }

    #[test]
    fn the_most_failing_come_first() {
        let row = |label: &str, failures, minutes| {
            let tally = Tally {
                items: 1,
                failures,
                repair_minutes: minutes,
                downtime_minutes: minutes,
                ..Tally::default()
            };
            Figures::of(label.into(), label.into(), tally, 1000)
        };
        let mut rows = vec![row("a", 1, 0), row("b", 3, 0), row("c", 3, 500)];
        rank(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
        assert!(GroupBy::parse("room").is_err());
        assert_eq!(GroupBy::parse("model"), Ok(GroupBy::Model));
    }
}
