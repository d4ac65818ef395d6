//! The ticket workflow. One table decides every status change, whoever asks and through
//! whichever endpoint:
//!
//! | from \ to     | new        | in_progress | closed            |
//! |---------------|------------|-------------|-------------------|
//! | new           | –          | staff       | staff, creator    |
//! | in_progress   | staff      | –           | staff, creator    |
//! | closed        | staff; creator within the window (reopen) | staff (reopen) | – (idempotent) |
//!
//! Assigning a `new` ticket moves it to `in_progress`; closing sets the resolution time and
//! reopening clears it. Through the status endpoints a creator can close their own ticket but
//! never reopen it; the reopen use case lets them within the desk's window
//! ([`crate::DeskRules::ensure_can_reopen`]), back to `new` (or `in_progress` when someone
//! holds it).

use std::{fmt, str::FromStr};

use crate::{DomainError, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TicketStatus {
    New,
    InProgress,
    Closed,
}

/// Who is asking for a status change, as far as the workflow cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Staff,
    Creator,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 3] = [
        TicketStatus::New,
        TicketStatus::InProgress,
        TicketStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::Closed => "closed",
        }
    }

    /// The status in the API's language, for texts the service writes (notification titles).
    pub fn label_ru(self) -> &'static str {
        match self {
            TicketStatus::New => "Новая",
            TicketStatus::InProgress => "В работе",
            TicketStatus::Closed => "Закрыта",
        }
    }

    /// The position in the workflow, which is also the stored value and the sort order.
    pub fn rank(self) -> i16 {
        match self {
            TicketStatus::New => 0,
            TicketStatus::InProgress => 1,
            TicketStatus::Closed => 2,
        }
    }

    pub fn from_rank(rank: i16) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.rank() == rank)
    }

    /// Whether `who` may move a ticket from `self` to `to`.
    pub fn check_transition(self, to: TicketStatus, who: Transition) -> Result<(), DomainError> {
        use TicketStatus::*;
        match (self, to, who) {
            (a, b, _) if a == b => Ok(()),
            (_, _, Transition::Staff) => Ok(()),
            (New | InProgress, Closed, Transition::Creator) => Ok(()),
            (Closed, _, Transition::Creator) => Err(DomainError::ReopenStaffOnly),
            (_, _, Transition::Creator) => Err(DomainError::StatusStaffOnly),
        }
    }
}

impl fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TicketStatus {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "status",
                    "enum",
                    "Input should be 'new', 'in_progress' or 'closed'",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::{TicketStatus::*, *};

    #[test]
    fn staff_may_make_every_move() {
        for from in TicketStatus::ALL {
            for to in TicketStatus::ALL {
                assert!(
                    from.check_transition(to, Transition::Staff).is_ok(),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn creators_may_only_close_and_never_reopen() {
        assert!(New.check_transition(Closed, Transition::Creator).is_ok());
        assert!(
            InProgress
                .check_transition(Closed, Transition::Creator)
                .is_ok()
        );
        assert!(
            Closed.check_transition(Closed, Transition::Creator).is_ok(),
            "closing twice is harmless"
        );
        assert_eq!(
            Closed.check_transition(New, Transition::Creator),
            Err(DomainError::ReopenStaffOnly)
        );
        assert_eq!(
            Closed.check_transition(InProgress, Transition::Creator),
            Err(DomainError::ReopenStaffOnly)
        );
        assert_eq!(
            New.check_transition(InProgress, Transition::Creator),
            Err(DomainError::StatusStaffOnly)
        );
    }

    #[test]
    fn ranks_round_trip_and_order_the_workflow() {
        for s in TicketStatus::ALL {
            assert_eq!(TicketStatus::from_rank(s.rank()), Some(s));
        }
        assert!(New.rank() < InProgress.rank() && InProgress.rank() < Closed.rank());
        assert!("bogus".parse::<TicketStatus>().is_err());
    }
}
