//! Ticket priority: `low`, `medium` (the default) or `high`, nothing else.

use std::{fmt, str::FromStr};

use crate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Priority {
    Low,
    #[default]
    Medium,
    High,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Low, Priority::Medium, Priority::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    /// One step more urgent (`high` stays `high`).
    pub fn raised(self) -> Self {
        match self {
            Priority::Low => Priority::Medium,
            Priority::Medium | Priority::High => Priority::High,
        }
    }

    /// The stored value, ordered by urgency so sorting by priority means something.
    pub fn rank(self) -> i16 {
        match self {
            Priority::Low => 0,
            Priority::Medium => 1,
            Priority::High => 2,
        }
    }

    pub fn from_rank(rank: i16) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.rank() == rank)
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Priority {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "priority",
                    "enum",
                    "Input should be 'low', 'medium' or 'high'",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_values_and_ranks_by_urgency() {
        assert_eq!("high".parse::<Priority>(), Ok(Priority::High));
        assert!("urgent".parse::<Priority>().is_err());
        assert!(Priority::Low.rank() < Priority::Medium.rank());
        assert!(Priority::Medium.rank() < Priority::High.rank());
        assert_eq!(Priority::default(), Priority::Medium);
    }
}
