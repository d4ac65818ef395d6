//! People and tickets for the unit tests of the rules, built once.

use chrono::NaiveDateTime;

use crate::{Actor, Priority, Role, SessionId, Ticket, TicketId, TicketStatus, UserId};

pub(crate) fn actor(id: i64, role: Role) -> Actor {
    Actor {
        id: UserId(id),
        username: format!("u{id}"),
        full_name: None,
        role,
        session: SessionId("s".into()),
    }
}

/// Ticket 1, filed by `creator`, held by `assignee`, every time the epoch's.
pub(crate) fn ticket(creator: i64, assignee: Option<i64>, status: TicketStatus) -> Ticket {
    Ticket {
        id: TicketId(1),
        title: "t".into(),
        description: String::new(),
        priority: Priority::Medium,
        status,
        category_id: None,
        room_number: "1".into(),
        equipment_id: None,
        created_at: NaiveDateTime::default(),
        updated_at: NaiveDateTime::default(),
        closed_at: None,
        status_changed_at: NaiveDateTime::default(),
        creator_id: UserId(creator),
        creator_name: None,
        assigned_to_id: assignee.map(UserId),
        assigned_to_name: None,
        resolution: None,
        hidden_for_creator: false,
        messages_count: 0,
        last_message_by: None,
        internal_messages_count: 0,
        waiting_on_requester: false,
        merged_into_id: None,
        planned: false,
        downtime_minutes: None,
        sla: None,
        reading: None,
    }
}
