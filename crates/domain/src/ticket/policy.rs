//! Who may see and change a ticket, field by field.
//!
//! - A `user` sees only the tickets they filed and have not hidden, and those they follow (as
//!   the requester of a duplicate merged into it, or having joined a report of a broken item;
//!   the service knows who follows); staff see all.
//! - A `user` may edit the title, description, room, category, equipment and priority of their
//!   own ticket while it is `new`; status, assignee and resolution are staff-only.
//! - Agents work unassigned tickets and tickets assigned to them; a ticket assigned to another
//!   agent is that agent's (an admin can hand it over). Admins may do everything.

use crate::{Actor, DomainError, Role, Ticket, TicketStatus};

/// How the actor relates to a ticket they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Staff,
    Creator,
    /// Follows a ticket someone else filed: reads and writes its thread as a requester does.
    Follower,
}

/// The editable fields of a ticket, named as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketField {
    Title,
    Description,
    RoomNumber,
    Priority,
    CategoryId,
    EquipmentId,
    Status,
    AssignedToId,
    Resolution,
    WaitingOnRequester,
    DowntimeMinutes,
}

impl TicketField {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketField::Title => "title",
            TicketField::Description => "description",
            TicketField::RoomNumber => "room_number",
            TicketField::Priority => "priority",
            TicketField::CategoryId => "category_id",
            TicketField::EquipmentId => "equipment_id",
            TicketField::Status => "status",
            TicketField::AssignedToId => "assigned_to_id",
            TicketField::Resolution => "resolution",
            TicketField::WaitingOnRequester => "waiting_on_requester",
            TicketField::DowntimeMinutes => "downtime_minutes",
        }
    }

    /// Fields a creator may change on their own ticket.
    fn creator_editable(self) -> bool {
        matches!(
            self,
            TicketField::Title
                | TicketField::Description
                | TicketField::RoomNumber
                | TicketField::Priority
                | TicketField::CategoryId
                | TicketField::EquipmentId
        )
    }
}

/// Whether `actor` may see `ticket`: another user's ticket is forbidden, one's own hidden
/// ticket is gone (404), as the old API answered.
pub fn visibility(actor: &Actor, ticket: &Ticket) -> Result<Access, DomainError> {
    if actor.role.is_staff() {
        return Ok(Access::Staff);
    }
    if ticket.creator_id != actor.id {
        return Err(DomainError::CannotViewTicket);
    }
    if ticket.hidden_for_creator {
        return Err(DomainError::TicketNotFound);
    }
    Ok(Access::Creator)
}

/// Whether staff `actor` may merge `duplicate` into `kept`: they may work the duplicate, both
/// are open and distinct, and `kept` was not itself merged away (no chains of duplicates).
pub fn ensure_can_merge(
    actor: &Actor,
    duplicate: &Ticket,
    kept: &Ticket,
) -> Result<(), DomainError> {
    actor.require_staff()?;
    ensure_can_work(actor, duplicate)?;
    if duplicate.id == kept.id {
        return Err(DomainError::MergeIntoItself);
    }
    if duplicate.status == TicketStatus::Closed {
        return Err(DomainError::TicketClosed);
    }
    if kept.status == TicketStatus::Closed || kept.merged_into_id.is_some() {
        return Err(DomainError::MergeTargetClosed);
    }
    Ok(())
}

/// Whether `actor` may join `ticket` as a follower: a report about an item is about a shared
/// thing, so anyone may add themself to an open one ("it's broken for me too") rather than
/// file a duplicate; a ticket about nothing shared stays its requester's.
pub fn ensure_can_follow(actor: &Actor, ticket: &Ticket) -> Result<(), DomainError> {
    if ticket.status == TicketStatus::Closed || ticket.merged_into_id.is_some() {
        return Err(DomainError::CannotFollowTicket);
    }
    if actor.role.is_staff() || ticket.creator_id == actor.id || ticket.equipment_id.is_some() {
        Ok(())
    } else {
        Err(DomainError::CannotFollowTicket)
    }
}

/// Whether a staff member may work this ticket (change it, its status or its assignee).
pub fn ensure_can_work(actor: &Actor, ticket: &Ticket) -> Result<(), DomainError> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Agent => match ticket.assigned_to_id {
            Some(other) if other != actor.id => Err(DomainError::AssignedToOther),
            _ => Ok(()),
        },
        Role::User => Err(DomainError::StaffRequired),
    }
}

/// Whether `actor` may close `ticket` (with or without a resolution): staff who may work it, or
/// its creator while they still see it.
pub fn ensure_can_close(actor: &Actor, ticket: &Ticket) -> Result<(), DomainError> {
    if actor.role.is_staff() {
        ensure_can_work(actor, ticket)
    } else if ticket.creator_id != actor.id {
        Err(DomainError::CannotCloseTicket)
    } else {
        // A ticket its creator has hidden is gone for them, on every route.
        visibility(actor, ticket).map(|_| ())
    }
}

/// Whether `actor` may change `fields` of `ticket`. A request is refused whole, naming the
/// first field its sender may not change; it is never half-applied.
pub fn ensure_can_change(
    actor: &Actor,
    ticket: &Ticket,
    fields: &[TicketField],
) -> Result<(), DomainError> {
    if fields.is_empty() {
        return visibility(actor, ticket).map(|_| ());
    }
    if actor.role.is_staff() {
        return ensure_can_work(actor, ticket);
    }
    if ticket.creator_id != actor.id {
        return Err(DomainError::CannotChangeTicket);
    }
    if ticket.hidden_for_creator {
        return Err(DomainError::TicketNotFound);
    }
    if let Some(f) = fields.iter().find(|f| !f.creator_editable()) {
        return Err(DomainError::FieldForbidden(f.as_str()));
    }
    if ticket.status != TicketStatus::New {
        return Err(DomainError::TicketLocked);
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn who_may_close_a_ticket() {
        use crate::testing::{actor, ticket};
        let t = ticket(7, Some(3), TicketStatus::InProgress);
        assert!(
            ensure_can_close(&actor(7, Role::User), &t).is_ok(),
            "its creator"
        );
        assert_eq!(
            ensure_can_close(&actor(8, Role::User), &t),
            Err(DomainError::CannotCloseTicket)
        );
        assert!(
            ensure_can_close(&actor(3, Role::Agent), &t).is_ok(),
            "its agent"
        );
        assert_eq!(
            ensure_can_close(&actor(4, Role::Agent), &t),
            Err(DomainError::AssignedToOther)
        );
        assert!(ensure_can_close(&actor(1, Role::Admin), &t).is_ok());
        let mut hidden = t.clone();
        hidden.hidden_for_creator = true;
        assert_eq!(
            ensure_can_close(&actor(7, Role::User), &hidden),
            Err(DomainError::TicketNotFound)
        );
    }
    use super::*;
    use crate::testing::{actor, ticket};

    #[test]
    fn users_see_only_their_own_visible_tickets() {
        let mine = ticket(5, None, TicketStatus::New);
        assert_eq!(
            visibility(&actor(5, Role::User), &mine),
            Ok(Access::Creator)
        );
        assert_eq!(
            visibility(&actor(6, Role::User), &mine),
            Err(DomainError::CannotViewTicket)
        );
        let hidden = Ticket {
            hidden_for_creator: true,
            ..mine.clone()
        };
        assert_eq!(
            visibility(&actor(5, Role::User), &hidden),
            Err(DomainError::TicketNotFound)
        );
        assert_eq!(
            visibility(&actor(9, Role::Agent), &hidden),
            Ok(Access::Staff)
        );
    }

    #[test]
    fn merging_keeps_one_open_ticket_and_no_chains() {
        let agent = actor(9, Role::Agent);
        let mut dup = ticket(5, None, TicketStatus::New);
        dup.id = crate::TicketId(2);
        let kept = ticket(6, Some(9), TicketStatus::InProgress);
        assert!(ensure_can_merge(&agent, &dup, &kept).is_ok());
        assert_eq!(
            ensure_can_merge(&actor(5, Role::User), &dup, &kept),
            Err(DomainError::StaffRequired)
        );
        assert_eq!(
            ensure_can_merge(&agent, &kept, &kept),
            Err(DomainError::MergeIntoItself)
        );
        let merged_away = Ticket {
            merged_into_id: Some(crate::TicketId(3)),
            ..kept.clone()
        };
        assert_eq!(
            ensure_can_merge(&agent, &dup, &merged_away),
            Err(DomainError::MergeTargetClosed)
        );
        let closed = Ticket {
            id: crate::TicketId(2),
            ..ticket(5, None, TicketStatus::Closed)
        };
        assert_eq!(
            ensure_can_merge(&agent, &closed, &kept),
            Err(DomainError::TicketClosed)
        );
        let others = Ticket {
            id: crate::TicketId(2),
            ..ticket(5, Some(4), TicketStatus::InProgress)
        };
        assert_eq!(
            ensure_can_merge(&agent, &others, &kept),
            Err(DomainError::AssignedToOther)
        );
    }

    #[test]
    fn anyone_joins_an_open_report_about_an_item_only() {
        let stranger = actor(8, Role::User);
        let mut about_item = ticket(5, None, TicketStatus::New);
        assert_eq!(
            ensure_can_follow(&stranger, &about_item),
            Err(DomainError::CannotFollowTicket)
        );
        about_item.equipment_id = Some(crate::EquipmentId(1));
        assert!(ensure_can_follow(&stranger, &about_item).is_ok());
        about_item.status = TicketStatus::Closed;
        assert_eq!(
            ensure_can_follow(&stranger, &about_item),
            Err(DomainError::CannotFollowTicket)
        );
    }

    #[test]
    fn creators_edit_only_their_fields_and_only_while_new() {
        let me = actor(5, Role::User);
        let new = ticket(5, None, TicketStatus::New);
        assert!(ensure_can_change(&me, &new, &[TicketField::Title, TicketField::Priority]).is_ok());
        assert_eq!(
            ensure_can_change(&me, &new, &[TicketField::Title, TicketField::Status]),
            Err(DomainError::FieldForbidden("status"))
        );
        assert_eq!(
            ensure_can_change(&me, &new, &[TicketField::Resolution]),
            Err(DomainError::FieldForbidden("resolution"))
        );
        let working = ticket(5, Some(9), TicketStatus::InProgress);
        assert_eq!(
            ensure_can_change(&me, &working, &[TicketField::Title]),
            Err(DomainError::TicketLocked)
        );
        assert_eq!(
            ensure_can_change(&actor(6, Role::User), &new, &[TicketField::Title]),
            Err(DomainError::CannotChangeTicket)
        );
    }

    #[test]
    fn agents_work_unassigned_and_own_tickets_admins_everything() {
        let theirs = ticket(5, Some(9), TicketStatus::InProgress);
        assert_eq!(
            ensure_can_work(&actor(8, Role::Agent), &theirs),
            Err(DomainError::AssignedToOther)
        );
        assert!(ensure_can_work(&actor(9, Role::Agent), &theirs).is_ok());
        assert!(
            ensure_can_work(&actor(8, Role::Agent), &ticket(5, None, TicketStatus::New)).is_ok()
        );
        assert!(ensure_can_work(&actor(1, Role::Admin), &theirs).is_ok());
        assert_eq!(
            ensure_can_work(&actor(5, Role::User), &theirs),
            Err(DomainError::StaffRequired)
        );
    }
}
