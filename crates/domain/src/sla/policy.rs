//! Service-level policies: the promises a desk makes, chosen per ticket by category and
//! priority.

use crate::{CategoryId, Priority, UserId};

use super::CalendarId;

/// What happens when a resolution target is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Escalation {
    /// Raise the ticket's priority one step.
    pub raise_priority: bool,
    /// Give the ticket to this staff member.
    pub reassign_to: Option<UserId>,
}

/// Targets in working minutes of a calendar, for the tickets it matches. A policy with neither
/// category nor priority is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    pub id: super::PolicyId,
    pub name: String,
    pub category_id: Option<CategoryId>,
    pub priority: Option<Priority>,
    pub calendar_id: CalendarId,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
    pub escalation: Escalation,
}

impl SlaPolicy {
    fn matches(&self, category: Option<CategoryId>, priority: Priority) -> bool {
        self.category_id.is_none_or(|c| Some(c) == category)
            && self.priority.is_none_or(|p| p == priority)
    }

    /// How specific the policy is: a category outweighs a priority, both outweigh either.
    fn specificity(&self) -> u8 {
        u8::from(self.category_id.is_some()) * 2 + u8::from(self.priority.is_some())
    }
}

/// The policy for a ticket: the most specific match (ties to the older policy), else none.
pub fn choose(
    policies: &[SlaPolicy],
    category: Option<CategoryId>,
    priority: Priority,
) -> Option<&SlaPolicy> {
    policies
        .iter()
        .filter(|p| p.matches(category, priority))
        .max_by_key(|p| (p.specificity(), std::cmp::Reverse(p.id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::PolicyId;

    fn policy(id: i64, category: Option<i64>, priority: Option<Priority>) -> SlaPolicy {
        SlaPolicy {
            id: PolicyId(id),
            name: format!("p{id}"),
            category_id: category.map(CategoryId),
            priority,
            calendar_id: CalendarId(1),
            first_response_minutes: 60,
            resolution_minutes: 480,
            escalation: Escalation::default(),
        }
    }

    #[test]
    fn the_most_specific_policy_wins() {
        let all = vec![
            policy(1, None, None),
            policy(2, None, Some(Priority::High)),
            policy(3, Some(7), None),
            policy(4, Some(7), Some(Priority::High)),
        ];
        let chosen = |c: Option<i64>, p| choose(&all, c.map(CategoryId), p).map(|p| p.id.0);
        assert_eq!(chosen(Some(7), Priority::High), Some(4));
        assert_eq!(chosen(Some(7), Priority::Low), Some(3));
        assert_eq!(chosen(Some(8), Priority::High), Some(2));
        assert_eq!(chosen(None, Priority::Low), Some(1));
        assert_eq!(choose(&all[1..], None, Priority::Low), None);
    }

    #[test]
    fn of_two_equally_specific_policies_the_older_wins() {
        let all = vec![policy(5, Some(7), None), policy(3, Some(7), None)];
        assert_eq!(
            choose(&all, Some(CategoryId(7)), Priority::Low).map(|p| p.id.0),
            Some(3)
        );
    }
}
