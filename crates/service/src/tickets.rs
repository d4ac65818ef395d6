//! The life of a repair ticket: filing, reading, editing, assigning, the status workflow,
//! closing, hiding and deleting, and the message thread.

use std::sync::Arc;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, AuditEntity, AuditFilter, CategoryId, ClientInfo, DeskRules, DomainError, EquipmentId,
    MessageText, NewTicket, Page, Patch, Resolution, Role, Ticket, TicketChanges, TicketId,
    TicketMessage, TicketQuery, TicketStatus, UserId,
    ticket::{Transition, ensure_can_change, ensure_can_work, visibility},
    timeline::{self, TimelineEntry},
};
use fixdesk_repository::{
    attachments, audit, batch::Batch, categories, equipment, messages, statistics, tickets,
    tickets::TicketUpdate, users,
};
use fixdesk_usecases::{ServiceError, TicketPage, TicketUseCases, async_trait};

use crate::{
    context::Context, equipment_state, fair_pick, files::remove_all, planned_completion,
    recipients, service_levels::clocks, trail,
};

/// Who files a ticket: their id and shown name, and whether it is planned maintenance.
#[derive(Debug, Clone)]
pub(crate) struct Filer {
    pub id: UserId,
    pub name: String,
    pub planned: bool,
}

#[derive(Debug, Clone)]
pub struct Tickets {
    ctx: Arc<Context>,
}

/// The category must exist and be active to be put on a ticket.
async fn ensure_category<C: ConnectionTrait>(conn: &C, id: CategoryId) -> Result<(), ServiceError> {
    match categories::find(conn, id).await? {
        Some(c) if c.is_active => Ok(()),
        _ => Err(DomainError::UnknownCategory.into()),
    }
}

async fn ensure_equipment<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
) -> Result<(), ServiceError> {
    match equipment::find(conn, id).await? {
        Some(_) => Ok(()),
        None => Err(DomainError::UnknownEquipment.into()),
    }
}

/// Whether `user` may be given tickets: an active agent or admin.
async fn is_assignable<C: ConnectionTrait>(conn: &C, user: UserId) -> Result<bool, ServiceError> {
    Ok(users::find(conn, user)
        .await?
        .is_some_and(|u| u.takes_tickets()))
}

/// The people a ticket search's `term` names (see [`fixdesk_domain::User::matches`]); one
/// character names nobody (it would name everyone).
async fn authors_named<C: ConnectionTrait>(
    conn: &C,
    term: &str,
) -> Result<Vec<UserId>, ServiceError> {
    if term.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    Ok(users::all(conn)
        .await?
        .into_iter()
        .filter(|u| u.matches(term))
        .map(|u| u.id)
        .collect())
}

pub(crate) async fn load<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
) -> Result<Ticket, ServiceError> {
    tickets::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::TicketNotFound.into())
}

/// The status columns for moving `t` to `to`: closing stamps the resolution time, leaving
/// `closed` clears it.
fn status_change(t: &Ticket, to: TicketStatus, now: chrono::NaiveDateTime) -> TicketUpdate {
    let closed_at = match (t.status, to) {
        (from, TicketStatus::Closed) if from != TicketStatus::Closed => Some(Some(now)),
        (TicketStatus::Closed, other) if other != TicketStatus::Closed => Some(None),
        _ => None,
    };
    // Closing ends the wait for the requester too: a reopened ticket's clocks run again.
    let waiting_on_requester =
        (to == TicketStatus::Closed && t.waiting_on_requester).then_some(false);
    TicketUpdate {
        status: Some(to),
        closed_at,
        waiting_on_requester,
        ..Default::default()
    }
}

/// Giving the ticket to `assignee`; a `new` ticket goes into work with it.
fn assignment(t: &Ticket, assignee: UserId, now: chrono::NaiveDateTime) -> TicketUpdate {
    let mut change = if t.status == TicketStatus::New {
        status_change(t, TicketStatus::InProgress, now)
    } else {
        TicketUpdate::default()
    };
    change.assigned_to_id = Some(Some(assignee));
    change
}

fn transition_role(actor: &Actor) -> Transition {
    if actor.role.is_staff() {
        Transition::Staff
    } else {
        Transition::Creator
    }
}

impl Tickets {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// Narrows a query to what the actor may see.
    fn scoped(actor: &Actor, mut query: TicketQuery) -> TicketQuery {
        if actor.role == Role::User {
            query.filter.visible_to_creator = Some(actor.id);
        }
        query
    }

    pub(crate) async fn page(
        &self,
        actor: &Actor,
        query: TicketQuery,
    ) -> Result<TicketPage, ServiceError> {
        let conn = self.ctx.db.reader();
        let mut query = query;
        if let Some(search) = &query.filter.search {
            fixdesk_domain::text::plain("search", search).map_err(DomainError::from)?;
            if actor.role.is_staff() {
                query.filter.search_authors = authors_named(conn, search).await?;
            }
        }
        if let Some(view) = query.filter.due {
            query.filter.due_between = Some(view.window(self.ctx.clock.now()));
        }
        let query = Self::scoped(actor, query);
        let items = tickets::list(conn, &query)
            .await?
            .into_iter()
            .map(|t| t.seen_by(actor))
            .collect();
        let f = &query.filter;
        let counted = f.category_id.is_none()
            && f.assigned_to_id.is_none()
            && f.creator_id.is_none()
            && f.equipment_id.is_none()
            && f.search.is_none()
            && f.visible_to_creator.is_none()
            && !f.unassigned
            && !f.open_only
            && f.work_of.is_none()
            && f.due_between.is_none();
        // Totals the counters already hold cost nothing; the rest are index-range counts
        // that grow with the matches, not with the table.
        let total = if counted {
            statistics::count(conn, f.status, f.priority).await?
        } else {
            tickets::count(conn, f, query.count_limit).await?
        };
        Ok(TicketPage { items, total })
    }

    /// One change of a ticket in its own unit of work: `decide` sees the ticket as it is (and
    /// the time), refuses, says there is nothing to do (`None`), or gives the change and its
    /// audit wording, which is then applied and recorded like every other.
    async fn change(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
        decide: impl FnOnce(
            &Ticket,
            chrono::NaiveDateTime,
        ) -> Result<Option<(TicketUpdate, String)>, ServiceError>,
    ) -> Result<Ticket, ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        let Some((change, description)) = decide(&before, now)? else {
            return Ok(before.seen_by(actor));
        };
        let after = self
            .apply(uow.conn(), actor, &before, change, description, client, now)
            .await?;
        uow.commit().await?;
        Ok(after.seen_by(actor))
    }

    /// Writes `change` with the service-level clocks it implies, then records it.
    #[allow(clippy::too_many_arguments)]
    async fn apply<C: ConnectionTrait>(
        &self,
        conn: &C,
        actor: &Actor,
        before: &Ticket,
        mut change: TicketUpdate,
        description: String,
        client: &ClientInfo,
        now: chrono::NaiveDateTime,
    ) -> Result<Ticket, ServiceError> {
        let book = self.ctx.sla_book.get(conn).await?;
        change.sla = clocks::after_change(&book, before, &change, now);
        let after = tickets::update(conn, before.id, change, now).await?;
        Self::record(conn, actor, before, &after, description, client, now).await?;
        Ok(after)
    }

    /// A message moves the clocks: the first answer from staff stops the first-response clock;
    /// the requester's answer ends the wait for them. An internal note does neither. Returns
    /// the ticket as it then is, when it changed (its counters move with it).
    async fn clocks_after_message<C: ConnectionTrait>(
        &self,
        conn: &C,
        actor: &Actor,
        t: &Ticket,
        internal: bool,
        now: chrono::NaiveDateTime,
    ) -> Result<Option<Ticket>, ServiceError> {
        if internal || t.status == TicketStatus::Closed {
            return Ok(None);
        }
        let book = self.ctx.sla_book.get(conn).await?;
        let change = if actor.role.is_staff() {
            match clocks::answered(&book, t, now) {
                Some(sla) => TicketUpdate {
                    sla: Some(Some(sla)),
                    ..Default::default()
                },
                None => return Ok(None),
            }
        } else if actor.id == t.creator_id && t.waiting_on_requester {
            let mut change = TicketUpdate {
                waiting_on_requester: Some(false),
                ..Default::default()
            };
            change.sla = clocks::after_change(&book, t, &change, now);
            change
        } else {
            return Ok(None);
        };
        Ok(Some(tickets::update(conn, t.id, change, now).await?))
    }

    /// Files a ticket in the caller's unit of work, with everything that goes with it: its
    /// service-level clocks, its assignee by rule, its item's status, the counters, the
    /// notifications, the audit row.
    pub(crate) async fn file<C: ConnectionTrait>(
        &self,
        conn: &C,
        by: Filer,
        new: NewTicket,
        client: &ClientInfo,
        now: chrono::NaiveDateTime,
    ) -> Result<Ticket, ServiceError> {
        let creator = by.id;
        if let Some(c) = new.category_id {
            ensure_category(conn, c).await?;
        }
        if let Some(e) = new.equipment_id {
            ensure_equipment(conn, e).await?;
        }
        let book = self.ctx.sla_book.get(conn).await?;
        let sla = clocks::at_filing(&book, new.category_id, new.priority, now);
        let assignee = match new.category_id {
            Some(c) => fair_pick::pick(conn, c, now.date(), None).await?,
            None => None,
        };
        let row = tickets::NewTicketRow {
            title: new.title.into_inner(),
            description: new.description.into_inner(),
            room_number: new.room_number.into_inner(),
            priority: new.priority,
            category_id: new.category_id,
            equipment_id: new.equipment_id,
            creator_id: creator,
            creator_name: by.name,
            assignee,
            planned: by.planned,
        };
        let ticket = tickets::insert(conn, row, sla, now).await?;
        equipment_state::follow(conn, creator, None, Some(&ticket), client, now).await?;
        let mut batch = Batch::on(conn);
        statistics::record(&mut batch, None, Some(&ticket));
        recipients::ticket_created(&mut batch, creator, &ticket, now)?;
        recipients::auto_assigned(&mut batch, &ticket, now)?;
        let entry = trail::ticket_created(creator, &ticket, client);
        trail::append(conn, batch, entry, now).await?;
        Ok(ticket)
    }

    /// Posts a message in the caller's unit of work, with everything that goes with it: the
    /// thread's count, the service-level clocks it moves, the counters, the notifications, the
    /// audit row.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn post_in<C: ConnectionTrait>(
        &self,
        conn: &C,
        actor: &Actor,
        id: TicketId,
        text: MessageText,
        internal: bool,
        client: &ClientInfo,
        now: chrono::NaiveDateTime,
    ) -> Result<TicketMessage, ServiceError> {
        if internal && !actor.role.is_staff() {
            return Err(DomainError::NotesStaffOnly.into());
        }
        let t = load(conn, id).await?;
        visibility(actor, &t)?;
        let posted = messages::insert(conn, id, actor.id, text.into_inner(), internal, now).await?;
        tickets::add_message_count(conn, id, actor.id, internal, now).await?;
        let moved = self
            .clocks_after_message(conn, actor, &t, internal, now)
            .await?;
        let mut batch = Batch::on(conn);
        if let Some(after) = &moved {
            statistics::record(&mut batch, Some(&t), Some(after));
        }
        recipients::message_posted(&mut batch, actor, &t, &posted, now)?;
        let entry = trail::message_posted(actor.id, &posted, client);
        trail::append(conn, batch, entry, now).await?;
        Ok(posted)
    }

    /// What follows every change of a ticket, in its unit of work: the statistics counters,
    /// the notifications, the audit row.
    pub(crate) async fn record<C: ConnectionTrait>(
        conn: &C,
        actor: &Actor,
        before: &Ticket,
        after: &Ticket,
        description: String,
        client: &ClientInfo,
        now: chrono::NaiveDateTime,
    ) -> Result<(), ServiceError> {
        equipment_state::follow(conn, actor.id, Some(before), Some(after), client, now).await?;
        if after.status == TicketStatus::Closed && before.status != TicketStatus::Closed {
            planned_completion::completed(conn, actor.id, after, client, now).await?;
        }
        let mut batch = Batch::on(conn);
        statistics::record(&mut batch, Some(before), Some(after));
        recipients::ticket_changed(&mut batch, actor, before, after, now)?;
        let entry = trail::ticket_changed(actor.id, before, after, description, client);
        trail::append(conn, batch, entry, now).await
    }
}

#[async_trait]
impl TicketUseCases for Tickets {
    async fn create(
        &self,
        actor: &Actor,
        new: NewTicket,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let by = Filer {
            id: actor.id,
            name: actor.display_name(),
            planned: false,
        };
        let ticket = self.file(uow.conn(), by, new, client, now).await?;
        uow.commit().await?;
        Ok(ticket.seen_by(actor))
    }

    async fn list(&self, actor: &Actor, query: TicketQuery) -> Result<TicketPage, ServiceError> {
        self.page(actor, query).await
    }

    async fn get(&self, actor: &Actor, id: TicketId) -> Result<Ticket, ServiceError> {
        let t = load(self.ctx.db.reader(), id).await?;
        visibility(actor, &t)?;
        Ok(t.seen_by(actor))
    }

    async fn update(
        &self,
        actor: &Actor,
        id: TicketId,
        changes: TicketChanges,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        let altered = changes.altered_fields(&before);
        ensure_can_change(actor, &before, &altered)?;
        if altered.is_empty() {
            return Ok(before.seen_by(actor));
        }
        // A ticket moved to a category with a rule goes to its group, unless the request
        // names an assignee or someone of that group already holds it. The rule does this, not
        // the actor: a requester recategorising their ticket needs no right to assign.
        let mut by_rule = None;
        if let Patch::Value(c) = changes.category_id {
            ensure_category(uow.conn(), c).await?;
            if before.category_id != Some(c)
                && before.status != TicketStatus::Closed
                && matches!(changes.assigned_to_id, Patch::Absent)
            {
                by_rule = fair_pick::pick(uow.conn(), c, now.date(), before.assigned_to_id).await?;
            }
        }
        if let Patch::Value(e) = changes.equipment_id {
            ensure_equipment(uow.conn(), e).await?;
        }
        if let Patch::Value(a) = changes.assigned_to_id
            && before.assigned_to_id != Some(a)
            && !is_assignable(uow.conn(), a).await?
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
                status_change(&before, s, now)
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
                let moved = status_change(&before, TicketStatus::InProgress, now);
                change.status = moved.status;
            }
            change.assigned_to_id = Some(Some(agent));
        }
        let fields: Vec<&str> = altered.iter().map(|f| f.as_str()).collect();
        let description = format!("Изменена заявка #{id}: {}", fields.join(", "));
        let after = self
            .apply(uow.conn(), actor, &before, change, description, client, now)
            .await?;
        uow.commit().await?;
        Ok(after.seen_by(actor))
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let t = load(uow.conn(), id).await?;
        let mut files = Vec::new();
        match actor.role {
            Role::Admin => {
                files = attachments::paths_for_ticket(uow.conn(), id).await?;
                tickets::delete(uow.conn(), id).await?;
                equipment_state::follow(uow.conn(), actor.id, Some(&t), None, client, now).await?;
                let mut batch = Batch::on(uow.conn());
                statistics::record(&mut batch, Some(&t), None);
                let entry = trail::ticket_deleted(actor.id, &t, client);
                trail::append(uow.conn(), batch, entry, now).await?;
            }
            Role::User if t.creator_id == actor.id => {
                visibility(actor, &t)?;
                let change = TicketUpdate {
                    hidden_for_creator: Some(true),
                    ..Default::default()
                };
                let d = format!("Заявка #{id} скрыта автором");
                self.apply(uow.conn(), actor, &t, change, d, client, now)
                    .await?;
            }
            _ => return Err(DomainError::CannotDeleteTicket.into()),
        }
        uow.commit().await?;
        remove_all(self.ctx.files.as_ref(), files).await;
        Ok(())
    }

    async fn assign(
        &self,
        actor: &Actor,
        id: TicketId,
        assignee: UserId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor.require_staff()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        ensure_can_work(actor, &before)?;
        self.ctx.rules.ensure_can_hand_over(actor, assignee)?;
        let target = users::find(uow.conn(), assignee).await?;
        let Some(target) = target.filter(|u| u.takes_tickets()) else {
            return Err(DomainError::AgentNotFound.into());
        };
        let change = assignment(&before, assignee, now);
        let d = format!("Заявка #{id} назначена на {}", target.username);
        let after = self
            .apply(uow.conn(), actor, &before, change, d, client, now)
            .await?;
        uow.commit().await?;
        Ok(after.seen_by(actor))
    }

    async fn claim(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor
            .require_staff()
            .map_err(|_| DomainError::AssignStaffOnly)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        if before.status == TicketStatus::Closed {
            return Err(DomainError::TicketClosed.into());
        }
        let after = if actor.role == Role::Admin {
            // An admin may take over a ticket someone else holds.
            tickets::update(uow.conn(), id, assignment(&before, actor.id, now), now).await?
        } else {
            if !tickets::claim(uow.conn(), id, actor.id, now).await? {
                return Err(DomainError::AlreadyClaimed.into());
            }
            load(uow.conn(), id).await?
        };
        let d = format!("Заявка #{id} назначена на агента {}", actor.username);
        Self::record(uow.conn(), actor, &before, &after, d, client, now).await?;
        uow.commit().await?;
        Ok(after.seen_by(actor))
    }

    async fn set_status(
        &self,
        actor: &Actor,
        id: TicketId,
        status: TicketStatus,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor.require_staff()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        ensure_can_work(actor, &before)?;
        before.status.check_transition(status, Transition::Staff)?;
        if before.status == status {
            return Ok(before.seen_by(actor));
        }
        let d = format!(
            "Изменен статус заявки #{id} с '{}' на '{}'",
            before.status, status
        );
        let after = self
            .apply(
                uow.conn(),
                actor,
                &before,
                status_change(&before, status, now),
                d,
                client,
                now,
            )
            .await?;
        uow.commit().await?;
        Ok(after.seen_by(actor))
    }

    async fn close(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        if actor.role.is_staff() {
            ensure_can_work(actor, &before)?;
        } else if before.creator_id != actor.id {
            return Err(DomainError::CannotCloseTicket.into());
        } else {
            // A ticket its creator has hidden is gone for them, on every route.
            visibility(actor, &before)?;
        }
        before
            .status
            .check_transition(TicketStatus::Closed, transition_role(actor))?;
        if before.status == TicketStatus::Closed {
            return Ok(before.seen_by(actor));
        }
        let d = format!("Заявка #{id} закрыта пользователем {}", actor.username);
        let change = status_change(&before, TicketStatus::Closed, now);
        let after = self
            .apply(uow.conn(), actor, &before, change, d, client, now)
            .await?;
        uow.commit().await?;
        Ok(after.seen_by(actor))
    }

    async fn close_with_message(
        &self,
        actor: &Actor,
        id: TicketId,
        message: String,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        actor
            .require_staff()
            .map_err(|_| DomainError::CloseWithMessageStaffOnly)?;
        ensure_can_work(actor, &before)?;
        let text = message.trim();
        if !text.is_empty() {
            let text = MessageText::parse(text)
                .map_err(DomainError::from)?
                .into_inner();
            let posted = messages::insert(uow.conn(), id, actor.id, text, false, now).await?;
            tickets::add_message_count(uow.conn(), id, actor.id, false, now).await?;
            audit::append(
                uow.conn(),
                trail::message_posted(actor.id, &posted, client),
                now,
            )
            .await?;
        }
        let mut change = status_change(&before, TicketStatus::Closed, now);
        if before
            .resolution
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
            && !text.is_empty()
        {
            change.resolution = Some(Some(text.to_string()));
        }
        let d = format!(
            "Заявка #{id} закрыта с сообщением пользователем {}",
            actor.username
        );
        let after = self
            .apply(uow.conn(), actor, &before, change, d, client, now)
            .await?;
        uow.commit().await?;
        Ok(after.seen_by(actor))
    }

    async fn resolve(
        &self,
        actor: &Actor,
        id: TicketId,
        resolution: Resolution,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        if resolution.as_str().trim().is_empty() {
            return Err(DomainError::ResolutionRequired.into());
        }
        self.change(actor, id, client, |before, now| {
            if actor.role.is_staff() {
                ensure_can_work(actor, before)?;
            } else if before.creator_id != actor.id {
                return Err(DomainError::CannotCloseTicket.into());
            } else {
                visibility(actor, before)?;
            }
            if before.status == TicketStatus::Closed {
                return Err(DomainError::TicketClosed.into());
            }
            let mut change = status_change(before, TicketStatus::Closed, now);
            change.resolution = Some(Some(resolution.into_inner()));
            let d = format!(
                "Заявка #{id} закрыта с решением пользователем {}",
                actor.username
            );
            Ok(Some((change, d)))
        })
        .await
    }

    async fn reopen(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.change(actor, id, client, |before, now| {
            visibility(actor, before)?;
            self.ctx.rules.ensure_can_reopen(actor, before, now)?;
            let to = if before.assigned_to_id.is_some() {
                TicketStatus::InProgress
            } else {
                TicketStatus::New
            };
            let d = format!("Заявка #{id} переоткрыта пользователем {}", actor.username);
            Ok(Some((status_change(before, to, now), d)))
        })
        .await
    }

    async fn unassign(
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

    fn rules(&self) -> DeskRules {
        self.ctx.rules
    }

    async fn messages(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TicketMessage>, ServiceError> {
        let conn = self.ctx.db.reader();
        let t = load(conn, id).await?;
        visibility(actor, &t)?;
        Ok(messages::for_ticket(conn, id, actor.role.is_staff()).await?)
    }

    async fn timeline(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TimelineEntry>, ServiceError> {
        let conn = self.ctx.db.reader();
        let t = load(conn, id).await?;
        visibility(actor, &t)?;
        let staff = actor.role.is_staff();
        let filter = AuditFilter {
            entity_type: Some(AuditEntity::Ticket.as_str().into()),
            entity_id: Some(id.0),
            ..AuditFilter::default()
        };
        let mut rows = audit::list(conn, &filter, Page::new(0, Page::MAX_LIMIT as i64)).await?;
        rows.reverse();
        let thread = messages::for_ticket(conn, id, staff).await?;
        let files = attachments::for_ticket(conn, id).await?;
        let mut entries = timeline::assemble(&rows, thread, files, staff);
        let names = users::display_names(conn, timeline::assignees(&entries)).await?;
        timeline::name_assignees(&mut entries, &names);
        Ok(entries)
    }

    async fn message_count(&self, actor: &Actor, id: TicketId) -> Result<i64, ServiceError> {
        let t = self.get(actor, id).await?;
        Ok(t.seen_by(actor).messages_count)
    }

    async fn post_message(
        &self,
        actor: &Actor,
        id: TicketId,
        text: MessageText,
        internal: bool,
        client: &ClientInfo,
    ) -> Result<TicketMessage, ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let posted = self
            .post_in(uow.conn(), actor, id, text, internal, client, now)
            .await?;
        uow.commit().await?;
        Ok(posted)
    }
}
