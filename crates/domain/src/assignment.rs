//! Fair auto-assignment: per category, a group of agents who take its new tickets in turn
//! (round robin) or by who holds the fewest open tickets, skipping anyone inactive or away.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::{CategoryId, DomainError, FieldError, UserId};

/// An assignment rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub i64);

/// How a rule picks among its agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Each in turn, in the group's order.
    RoundRobin,
    /// Whoever holds the fewest open tickets (ties: the group's order).
    LeastOpen,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::RoundRobin => "round_robin",
            Strategy::LeastOpen => "least_open",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "round_robin" => Ok(Strategy::RoundRobin),
            "least_open" => Ok(Strategy::LeastOpen),
            _ => Err(FieldError::new(
                "strategy",
                "enum",
                "Input should be 'round_robin' or 'least_open'",
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRule {
    pub id: RuleId,
    pub category_id: CategoryId,
    pub strategy: Strategy,
    /// The group, in its order.
    pub agents: Vec<UserId>,
    /// Rules are off until switched on.
    pub enabled: bool,
}

/// A rule as an admin writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDraft {
    pub category_id: CategoryId,
    pub strategy: Strategy,
    pub agents: Vec<UserId>,
    pub enabled: bool,
}

impl RuleDraft {
    /// A group names each agent once and at least one.
    pub fn checked(mut self) -> Result<Self, DomainError> {
        let mut seen = HashSet::new();
        self.agents.retain(|a| seen.insert(*a));
        if self.agents.is_empty() {
            return Err(DomainError::Invalid(vec![FieldError::new(
                "agent_ids",
                "value_error",
                "Name at least one agent",
            )]));
        }
        Ok(self)
    }
}

/// A time an agent is away (both days included): they get no tickets by rule then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub id: i64,
    pub user_id: UserId,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: Option<String>,
}

/// An absence as entered, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAbsence {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: Option<String>,
}

impl NewAbsence {
    pub fn new(
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        note: Option<&str>,
    ) -> Result<Self, DomainError> {
        if ends_on < starts_on {
            return Err(DomainError::Invalid(vec![FieldError::new(
                "ends_on",
                "value_error",
                "An absence ends on or after the day it starts",
            )]));
        }
        let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Some(crate::text::bounded("note", n, 1, 200).map_err(DomainError::from)?),
            None => None,
        };
        Ok(Self {
            starts_on,
            ends_on,
            note,
        })
    }
}

/// Who of `rule`'s group gets the next ticket. `available`: the agents who may take tickets
/// now (active staff, not away); `turn`: the rule's turn counter, just advanced; `open`: the
/// open tickets each holds (least-open only).
pub fn choose(
    rule: &AssignmentRule,
    available: &HashSet<UserId>,
    turn: i64,
    open: &HashMap<UserId, u64>,
) -> Option<UserId> {
    let group: Vec<UserId> = rule
        .agents
        .iter()
        .copied()
        .filter(|a| available.contains(a))
        .collect();
    if group.is_empty() {
        return None;
    }
    match rule.strategy {
        Strategy::RoundRobin => {
            let n = i64::try_from(group.len()).unwrap_or(i64::MAX);
            let at = usize::try_from(turn.rem_euclid(n)).unwrap_or(0);
            group.get(at).copied()
        }
        Strategy::LeastOpen => group
            .iter()
            .enumerate()
            .min_by_key(|(i, a)| (open.get(a).copied().unwrap_or(0), *i))
            .map(|(_, a)| *a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(strategy: Strategy) -> AssignmentRule {
        AssignmentRule {
            id: RuleId(1),
            category_id: CategoryId(1),
            strategy,
            agents: vec![UserId(10), UserId(11), UserId(12)],
            enabled: true,
        }
    }

    #[test]
    fn round_robin_takes_turns_and_skips_who_is_away() {
        let r = rule(Strategy::RoundRobin);
        let all: HashSet<UserId> = r.agents.iter().copied().collect();
        let picks: Vec<i64> = (1..=4)
            .map(|turn| choose(&r, &all, turn, &HashMap::new()).unwrap().0)
            .collect();
        assert_eq!(picks, [11, 12, 10, 11]);
        let without_11: HashSet<UserId> = [UserId(10), UserId(12)].into();
        let picks: Vec<i64> = (1..=3)
            .map(|turn| choose(&r, &without_11, turn, &HashMap::new()).unwrap().0)
            .collect();
        assert_eq!(picks, [12, 10, 12]);
        assert_eq!(choose(&r, &HashSet::new(), 1, &HashMap::new()), None);
    }

    #[test]
    fn least_open_picks_the_lightest_load_then_the_groups_order() {
        let r = rule(Strategy::LeastOpen);
        let all: HashSet<UserId> = r.agents.iter().copied().collect();
        let open = HashMap::from([(UserId(10), 3), (UserId(11), 1), (UserId(12), 1)]);
        assert_eq!(choose(&r, &all, 0, &open), Some(UserId(11)));
        let open = HashMap::from([(UserId(10), 3), (UserId(11), 2)]);
        assert_eq!(
            choose(&r, &all, 0, &open),
            Some(UserId(12)),
            "none open counts as 0"
        );
    }

    #[test]
    fn drafts_and_absences_are_checked() {
        let draft = RuleDraft {
            category_id: CategoryId(1),
            strategy: Strategy::parse("least_open").unwrap(),
            agents: vec![UserId(3), UserId(3), UserId(4)],
            enabled: false,
        };
        assert_eq!(draft.checked().unwrap().agents, [UserId(3), UserId(4)]);
        assert!(Strategy::parse("random").is_err());
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(NewAbsence::new(d("2026-12-10"), d("2026-12-09"), None).is_err());
        assert_eq!(
            NewAbsence::new(d("2026-12-10"), d("2026-12-10"), Some("  "))
                .unwrap()
                .note,
            None
        );
    }
}
