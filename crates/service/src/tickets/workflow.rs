//! Changing a ticket: editing it, the status workflow, assignment, closing (with a resolution,
//! or after a last message), reopening, hiding and deleting. Each goes the one way of
//! [`Tickets::open`] and [`super::Open::apply`]; the rules of who may are the domain's.

use fixdesk_domain::{
    Actor, ClientInfo, DomainError, MessageText, Patch, Resolution, Role, Ticket, TicketChanges,
    TicketId, TicketStatus, UserId,
    counters::delta,
    ticket::{Transition, ensure_can_change, ensure_can_close, ensure_can_work, visibility},
};
use fixdesk_repository::{
    attachments, batch::Batch, statistics, tickets, tickets::TicketUpdate, users,
};
use fixdesk_usecases::ServiceError;

use super::{
    Tickets, assignment, ensure_category, ensure_equipment, is_assignable, load, status_change,
    transition_role,
};
use crate::{assignment::fair_pick, equipment::state, files::remove_all, trail};

impl Tickets {
    pub(super) async fn edit(
        &self,
        actor: &Actor,
        id: TicketId,
        changes: TicketChanges,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let open = self.open(id).await?;
        let (conn, before, now) = (open.uow.conn(), &open.before, open.now);
        let altered = changes.altered_fields(before);
        ensure_can_change(actor, before, &altered)?;
        if altered.is_empty() {
            return open.unchanged(actor).await;
        }
        // A ticket moved to a category with a rule goes to its group, unless the request
        // names an assignee or someone of that group already holds it. The rule does this, not
        // the actor: a requester recategorising their ticket needs no right to assign.
        let mut by_rule = None;
        if let Patch::Value(c) = changes.category_id {
            ensure_category(conn, c).await?;
            if before.category_id != Some(c)
                && before.status != TicketStatus::Closed
                && matches!(changes.assigned_to_id, Patch::Absent)
            {
                by_rule = fair_pick::pick(conn, c, now.date(), before.assigned_to_id).await?;
            }
        }
        if let Patch::Value(e) = changes.equipment_id {
            ensure_equipment(conn, e).await?;
        }
        if let Patch::Value(a) = changes.assigned_to_id
            && before.assigned_to_id != Some(a)
            && !is_assignable(conn, a).await?
        {
            return Err(DomainError::InvalidAssignee.into());
        }
        // Assignment moves a new ticket into work unless the request says otherwise.
        let assigning = matches!(changes.assigned_to_id, Patch::Value(_));
        let status = match changes.status {
            Some(s) => Some(s),
            None if assigning && before.status == TicketStatus::New => {
                Some(TicketStatus::InProgress)
            }
            None => None,
        };
        let mut change = match status {
            Some(s) => {
                before.status.check_transition(s, transition_role(actor))?;
                status_change(before, s, now)
            }
            None => TicketUpdate::default(),
        };
        change.title = changes.title.map(|v| v.into_inner());
        change.description = changes.description.map(|v| v.into_inner());
        change.room_number = changes.room_number.map(|v| v.into_inner());
        change.priority = changes.priority;
        change.category_id = changes.category_id.into_change();
        change.equipment_id = changes.equipment_id.into_change();
        change.assigned_to_id = changes.assigned_to_id.into_change();
        if changes.waiting_on_requester.is_some() {
            change.waiting_on_requester = changes.waiting_on_requester;
        }
        change.downtime_minutes = changes.downtime_minutes.into_change();
        change.resolution = changes
            .resolution
            .into_change()
            .map(|r| r.map(|r| r.into_inner()));
        if let Some(agent) = by_rule {
            if change.status.is_none() && before.status == TicketStatus::New {
                change.status = status_change(before, TicketStatus::InProgress, now).status;
            }
            change.assigned_to_id = Some(Some(agent));
        }
        let fields: Vec<&str> = altered.iter().map(|f| f.as_str()).collect();
        let description = format!("Изменена заявка #{id}: {}", fields.join(", "));
        open.apply(actor, change, description, client).await
    }

    /// An admin deletes a ticket (its files go once the deletion is committed); its creator
    /// hides it from themself (it stays for the staff).
    pub(super) async fn remove(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let open = self.open(id).await?;
        match actor.role {
            Role::Admin => {
                let (conn, t, now) = (open.uow.conn(), &open.before, open.now);
                let files = attachments::paths_for_ticket(conn, id).await?;
                tickets::delete(conn, id).await?;
                state::follow(conn, actor.id, Some(t), None, client, now).await?;
                let mut batch = Batch::on(conn);
                statistics::apply(&mut batch, delta(Some(t), None));
                let entry = trail::ticket_deleted(actor.id, t, client);
                trail::append(conn, batch, entry, now).await?;
                open.uow.commit().await?;
                remove_all(self.ctx.files.as_ref(), files).await;
                Ok(())
            }
            Role::User if open.before.creator_id == actor.id => {
                visibility(actor, &open.before)?;
                let change = TicketUpdate {
                    hidden_for_creator: Some(true),
                    ..Default::default()
                };
                let d = format!("Заявка #{id} скрыта автором");
                open.apply(actor, change, d, client).await.map(drop)
            }
            _ => Err(DomainError::CannotDeleteTicket.into()),
        }
    }

    pub(super) async fn hand_to(
        &self,
        actor: &Actor,
        id: TicketId,
        assignee: UserId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor.require_staff()?;
        let open = self.open(id).await?;
        ensure_can_work(actor, &open.before)?;
        self.ctx.rules.ensure_can_hand_over(actor, assignee)?;
        let target = users::find(open.uow.conn(), assignee).await?;
        let Some(target) = target.filter(|u| u.takes_tickets()) else {
            return Err(DomainError::AgentNotFound.into());
        };
        let change = assignment(&open.before, assignee, open.now);
        let d = format!("Заявка #{id} назначена на {}", target.username);
        open.apply(actor, change, d, client).await
    }

    /// Staff take a ticket. Of two agents taking the same one, one gets it (a conditional
    /// write); an admin may take over a ticket someone else holds.
    pub(super) async fn take(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor
            .require_staff()
            .map_err(|_| DomainError::AssignStaffOnly)?;
        let open = self.open(id).await?;
        if open.before.status == TicketStatus::Closed {
            return Err(DomainError::TicketClosed.into());
        }
        let d = format!("Заявка #{id} назначена на агента {}", actor.username);
        if actor.role == Role::Admin {
            let change = assignment(&open.before, actor.id, open.now);
            return open.apply(actor, change, d, client).await;
        }
        if !tickets::claim(open.uow.conn(), id, actor.id, open.now).await? {
            return Err(DomainError::AlreadyClaimed.into());
        }
        let after = load(open.uow.conn(), id).await?;
        open.commit(actor, after, d, client).await
    }

    pub(super) async fn move_to(
        &self,
        actor: &Actor,
        id: TicketId,
        status: TicketStatus,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor.require_staff()?;
        self.change(actor, id, client, |before, now| {
            ensure_can_work(actor, before)?;
            before.status.check_transition(status, Transition::Staff)?;
            if before.status == status {
                return Ok(None);
            }
            let d = format!(
                "Изменен статус заявки #{id} с '{}' на '{}'",
                before.status, status
            );
            Ok(Some((status_change(before, status, now), d)))
        })
        .await
    }

    /// Closes a ticket, with a resolution (`resolve`: refused for one already closed) or
    /// without (`close`: closing a closed ticket changes nothing).
    pub(super) async fn close_as(
        &self,
        actor: &Actor,
        id: TicketId,
        resolution: Option<Resolution>,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.change(actor, id, client, |before, now| {
            ensure_can_close(actor, before)?;
            let closed = before.status == TicketStatus::Closed;
            let mut change = status_change(before, TicketStatus::Closed, now);
            let d = match resolution {
                Some(_) if closed => return Err(DomainError::TicketClosed.into()),
                Some(r) => {
                    change.resolution = Some(Some(r.into_inner()));
                    format!(
                        "Заявка #{id} закрыта с решением пользователем {}",
                        actor.username
                    )
                }
                None => {
                    before
                        .status
                        .check_transition(TicketStatus::Closed, transition_role(actor))?;
                    if closed {
                        return Ok(None);
                    }
                    format!("Заявка #{id} закрыта пользователем {}", actor.username)
                }
            };
            Ok(Some((change, d)))
        })
        .await
    }

    /// Staff post a last message (like any other: its recipients hear of it, it answers the
    /// requester), then close the ticket; the message is the resolution when there was none.
    pub(super) async fn close_after_message(
        &self,
        actor: &Actor,
        id: TicketId,
        message: String,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let mut open = self.open(id).await?;
        actor
            .require_staff()
            .map_err(|_| DomainError::CloseWithMessageStaffOnly)?;
        ensure_can_work(actor, &open.before)?;
        let text = message.trim().to_owned();
        if !text.is_empty() {
            let parsed = MessageText::parse(&text).map_err(DomainError::from)?;
            let conn = open.uow.conn();
            self.post_in(conn, actor, id, parsed, false, client, open.now)
                .await?;
            // The message moved the thread's count and perhaps the clocks: close from there.
            open.before = load(conn, id).await?;
        }
        let before = &open.before;
        let mut change = status_change(before, TicketStatus::Closed, open.now);
        if before
            .resolution
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
            && !text.is_empty()
        {
            change.resolution = Some(Some(text));
        }
        let d = format!(
            "Заявка #{id} закрыта с сообщением пользователем {}",
            actor.username
        );
        open.apply(actor, change, d, client).await
    }

    /// Ticks or clears one box of the ticket's checklist: read and written in the ticket's own
    /// unit of work, so two ticks on one ticket never lose each other.
    pub(super) async fn tick_box(
        &self,
        actor: &Actor,
        id: TicketId,
        line: usize,
        done: bool,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor.require_staff()?;
        self.change(actor, id, client, |before, _| {
            ensure_can_work(actor, before)?;
            if before.status == TicketStatus::Closed {
                return Err(DomainError::TicketClosed.into());
            }
            let text = fixdesk_domain::preventive::tick(&before.description, line, done)
                .ok_or(DomainError::NoChecklistItem)?;
            if text == before.description {
                return Ok(None);
            }
            let change = TicketUpdate {
                description: Some(text),
                ..Default::default()
            };
            Ok(Some((
                change,
                format!("Изменена заявка #{id}: description"),
            )))
        })
        .await
    }

    /// Reopens a closed ticket, with the reason (when given) posted to its thread first, in
    /// one unit of work. A merged duplicate reopened is a ticket of its own again.
    pub(super) async fn reopen_as(
        &self,
        actor: &Actor,
        id: TicketId,
        reason: Option<MessageText>,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let mut open = self.open(id).await?;
        visibility(actor, &open.before)?;
        self.ctx
            .rules
            .ensure_can_reopen(actor, &open.before, open.now)?;
        if let Some(reason) = reason {
            let conn = open.uow.conn();
            self.post_in(conn, actor, id, reason, false, client, open.now)
                .await?;
            open.before = load(conn, id).await?;
        }
        let before = &open.before;
        let to = if before.assigned_to_id.is_some() {
            TicketStatus::InProgress
        } else {
            TicketStatus::New
        };
        let mut change = status_change(before, to, open.now);
        if before.merged_into_id.is_some() {
            change.merged_into_id = Some(None);
        }
        let d = format!("Заявка #{id} переоткрыта пользователем {}", actor.username);
        open.apply(actor, change, d, client).await
    }

    pub(super) async fn release(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor.require_staff()?;
        self.change(actor, id, client, |before, now| {
            ensure_can_work(actor, before)?;
            if before.status == TicketStatus::Closed {
                return Err(DomainError::TicketClosed.into());
            }
            if before.assigned_to_id.is_none() {
                return Ok(None);
            }
            let mut change = if before.status == TicketStatus::InProgress {
                status_change(before, TicketStatus::New, now)
            } else {
                TicketUpdate::default()
            };
            change.assigned_to_id = Some(None);
            Ok(Some((change, format!("С заявки #{id} снят исполнитель"))))
        })
        .await
    }
}
