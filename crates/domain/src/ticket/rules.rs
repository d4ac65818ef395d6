//! The rules a desk's operator sets: how long a creator may reopen a closed ticket, and whether
//! agents may hand a ticket to a colleague (admins always may).

use chrono::{Duration, NaiveDateTime};

use crate::{Actor, DomainError, Role, Ticket, TicketStatus, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeskRules {
    /// How long after closing the creator may reopen their ticket (staff always may).
    pub reopen_window: Duration,
    /// Whether an agent may assign a ticket they work to another staff member.
    pub agents_may_hand_over: bool,
}

impl Default for DeskRules {
    fn default() -> Self {
        Self {
            reopen_window: Duration::days(7),
            agents_may_hand_over: true,
        }
    }
}

impl DeskRules {
    pub fn new(reopen_window_days: u32, agents_may_hand_over: bool) -> Self {
        Self {
            reopen_window: Duration::days(i64::from(reopen_window_days)),
            agents_may_hand_over,
        }
    }

    /// Whether `actor` may reopen `ticket` at `now`.
    pub fn ensure_can_reopen(
        &self,
        actor: &Actor,
        ticket: &Ticket,
        now: NaiveDateTime,
    ) -> Result<(), DomainError> {
        if ticket.status != TicketStatus::Closed {
            return Err(DomainError::TicketNotClosed);
        }
        if actor.role.is_staff() {
            return Ok(());
        }
        if ticket.creator_id != actor.id || ticket.hidden_for_creator {
            return Err(DomainError::CannotChangeTicket);
        }
        let closed = ticket.closed_at.unwrap_or(ticket.status_changed_at);
        if now <= closed + self.reopen_window {
            Ok(())
        } else {
            Err(DomainError::ReopenWindowPassed)
        }
    }

    /// Whether `actor` may make `to` the assignee of a ticket they may work.
    pub fn ensure_can_hand_over(&self, actor: &Actor, to: UserId) -> Result<(), DomainError> {
        match actor.role {
            Role::Admin => Ok(()),
            Role::Agent if to == actor.id || self.agents_may_hand_over => Ok(()),
            Role::Agent => Err(DomainError::HandOverAdminOnly),
            Role::User => Err(DomainError::AssignStaffOnly),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{actor, ticket};

    fn closed_at(at: NaiveDateTime) -> Ticket {
        Ticket {
            closed_at: Some(at),
            ..ticket(2, None, TicketStatus::Closed)
        }
    }

    #[test]
    fn the_creator_may_reopen_within_the_window_only() {
        let rules = DeskRules::default();
        let closed = NaiveDateTime::default();
        let t = closed_at(closed);
        let creator = actor(2, Role::User);
        assert_eq!(
            rules.ensure_can_reopen(&creator, &t, closed + Duration::days(7)),
            Ok(())
        );
        assert_eq!(
            rules.ensure_can_reopen(&creator, &t, closed + Duration::days(8)),
            Err(DomainError::ReopenWindowPassed)
        );
        assert_eq!(
            rules.ensure_can_reopen(&actor(3, Role::User), &t, closed),
            Err(DomainError::CannotChangeTicket)
        );
        assert_eq!(
            rules.ensure_can_reopen(&actor(4, Role::Agent), &t, closed + Duration::days(90)),
            Ok(())
        );
    }

    #[test]
    fn handing_over_follows_the_setting() {
        let strict = DeskRules {
            agents_may_hand_over: false,
            ..DeskRules::default()
        };
        let agent = actor(4, Role::Agent);
        assert_eq!(strict.ensure_can_hand_over(&agent, UserId(4)), Ok(()));
        assert_eq!(
            strict.ensure_can_hand_over(&agent, UserId(5)),
            Err(DomainError::HandOverAdminOnly)
        );
        assert_eq!(
            strict.ensure_can_hand_over(&actor(1, Role::Admin), UserId(5)),
            Ok(())
        );
        assert_eq!(
            DeskRules::default().ensure_can_hand_over(&agent, UserId(5)),
            Ok(())
        );
    }
}
