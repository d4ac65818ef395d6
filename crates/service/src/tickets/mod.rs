//! The life of a repair ticket: filing (`filing`), reading (`reading`), the status workflow,
//! assignment, closing, hiding and deleting (`workflow`), and the message thread (`thread`).
//! Every change of a ticket goes one way: [`Tickets::open`] begins the unit of work and loads
//! the ticket, the use case checks and decides, [`Open::apply`] writes the change with the
//! service-level clocks it implies and records it (counters, notifications, audit row), and
//! commits; answers carry the clocks as they read now.

mod canned;

pub use canned::CannedReplies;

mod filing;
mod merging;
mod reading;
mod thread;
mod workflow;

use std::sync::Arc;

use futures::{StreamExt, stream::BoxStream};

use fixdesk_db::{ConnectionTrait, UnitOfWork};
use fixdesk_domain::{
    Actor, CategoryId, ClientInfo, DeskRules, DomainError, EquipmentId, MessageText, NewTicket,
    Resolution, Ticket, TicketChanges, TicketId, TicketMessage, TicketQuery, TicketStatus, UserId,
    counters::delta, ticket::Transition, timeline::TimelineEntry,
};
use fixdesk_repository::{
    batch::Batch, categories, equipment, statistics, tickets, tickets::TicketUpdate, users,
};
use fixdesk_usecases::{ServiceError, TicketInFull, TicketPage, TicketUseCases, async_trait};

use crate::{
    context::Context, equipment::planned_completion, equipment::state, notifications::recipients,
    trail,
};

pub(crate) use filing::Filer;
pub(crate) use merging::access;

#[derive(Debug, Clone)]
pub struct Tickets {
    ctx: Arc<Context>,
}

pub(crate) async fn load<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
) -> Result<Ticket, ServiceError> {
    tickets::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::TicketNotFound.into())
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

/// A ticket's change under way: its unit of work, the ticket as it was, and the moment.
pub(crate) struct Open<'a> {
    tickets: &'a Tickets,
    pub(crate) uow: UnitOfWork,
    pub(crate) before: Ticket,
    pub(crate) now: chrono::NaiveDateTime,
}

impl Open<'_> {
    /// Writes `change` with the service-level clocks it implies, records it as `description`,
    /// and commits; the ticket as it then is, as `actor` sees it.
    pub(crate) async fn apply(
        self,
        actor: &Actor,
        mut change: TicketUpdate,
        description: String,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let conn = self.uow.conn();
        let book = self.tickets.ctx.sla_book.get(conn).await?;
        change.sla = crate::sla::clocks::after_change(&book, &self.before, &change, self.now);
        let after = tickets::update(conn, self.before.id, change, self.now).await?;
        self.commit(actor, after, description, client).await
    }

    /// Records a change already written (`after`) and commits.
    pub(crate) async fn commit(
        self,
        actor: &Actor,
        after: Ticket,
        description: String,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        Tickets::record(
            self.uow.conn(),
            actor,
            &self.before,
            &after,
            description,
            client,
            self.now,
        )
        .await?;
        self.uow.commit().await?;
        self.tickets.shown(actor, after).await
    }

    /// Nothing to change: the ticket as it is (the unit of work rolls back, having written
    /// nothing).
    pub(crate) async fn unchanged(self, actor: &Actor) -> Result<Ticket, ServiceError> {
        let before = self.before.clone();
        drop(self.uow);
        self.tickets.shown(actor, before).await
    }
}

impl Tickets {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// Begins a change of ticket `id`: the unit of work, the ticket as it is, and now.
    pub(crate) async fn open(&self, id: TicketId) -> Result<Open<'_>, ServiceError> {
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = load(uow.conn(), id).await?;
        Ok(Open {
            tickets: self,
            uow,
            before,
            now,
        })
    }

    /// One change decided from the ticket alone: `decide` sees it (and the time), refuses,
    /// says there is nothing to do (`None`), or gives the change and its audit wording.
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
        let open = self.open(id).await?;
        match decide(&open.before, open.now)? {
            Some((change, description)) => open.apply(actor, change, description, client).await,
            None => open.unchanged(actor).await,
        }
    }

    /// What follows every change of a ticket, in its unit of work: the item's status, a
    /// planned maintenance's completion, the statistics counters, the notifications, the audit
    /// row.
    pub(crate) async fn record<C: ConnectionTrait>(
        conn: &C,
        actor: &Actor,
        before: &Ticket,
        after: &Ticket,
        description: String,
        client: &ClientInfo,
        now: chrono::NaiveDateTime,
    ) -> Result<(), ServiceError> {
        state::follow(conn, actor.id, Some(before), Some(after), client, now).await?;
        if after.status == TicketStatus::Closed && before.status != TicketStatus::Closed {
            planned_completion::completed(conn, actor.id, after, client, now).await?;
        }
        let mut batch = Batch::on(conn);
        statistics::apply(&mut batch, delta(Some(before), Some(after)));
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
        self.create_as(actor, new, client).await
    }

    async fn list(&self, actor: &Actor, query: TicketQuery) -> Result<TicketPage, ServiceError> {
        self.page(actor, query).await
    }

    async fn get(&self, actor: &Actor, id: TicketId) -> Result<Ticket, ServiceError> {
        self.one(actor, id).await
    }

    async fn in_full(&self, actor: &Actor, id: TicketId) -> Result<TicketInFull, ServiceError> {
        self.whole(actor, id).await
    }

    async fn changes(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<BoxStream<'static, ()>, ServiceError> {
        // Checked once: a reader who loses sight of it later sees only that something changed.
        self.one(actor, id).await?;
        let feed = self.ctx.feed.audit().await?;
        Ok(feed
            .filter_map(move |row| {
                std::future::ready((row.ticket_concerned() == Some(id)).then_some(()))
            })
            .take_until(self.ctx.feed.session_ended(actor))
            .boxed())
    }

    async fn update(
        &self,
        actor: &Actor,
        id: TicketId,
        changes: TicketChanges,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.edit(actor, id, changes, client).await
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        self.remove(actor, id, client).await
    }

    async fn assign(
        &self,
        actor: &Actor,
        id: TicketId,
        assignee: UserId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.hand_to(actor, id, assignee, client).await
    }

    async fn claim(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.take(actor, id, client).await
    }

    async fn set_status(
        &self,
        actor: &Actor,
        id: TicketId,
        status: TicketStatus,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.move_to(actor, id, status, client).await
    }

    async fn close(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.close_as(actor, id, None, client).await
    }

    async fn close_with_message(
        &self,
        actor: &Actor,
        id: TicketId,
        message: String,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.close_after_message(actor, id, message, client).await
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
        self.close_as(actor, id, Some(resolution), client).await
    }

    async fn reopen(
        &self,
        actor: &Actor,
        id: TicketId,
        reason: Option<MessageText>,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.reopen_as(actor, id, reason, client).await
    }

    async fn unassign(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.release(actor, id, client).await
    }

    async fn tick(
        &self,
        actor: &Actor,
        id: TicketId,
        line: usize,
        done: bool,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.tick_box(actor, id, line, done, client).await
    }

    async fn merge(
        &self,
        actor: &Actor,
        id: TicketId,
        into: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.merge_into(actor, id, into, client).await
    }

    async fn follow(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        self.join(actor, id, client).await
    }

    async fn unfollow(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        self.leave(actor, id, client).await
    }

    async fn open_reports(
        &self,
        actor: &Actor,
        equipment: EquipmentId,
    ) -> Result<Vec<Ticket>, ServiceError> {
        self.reports_of(actor, equipment).await
    }

    fn rules(&self) -> DeskRules {
        self.ctx.rules
    }

    async fn messages(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TicketMessage>, ServiceError> {
        self.thread(actor, id).await
    }

    async fn timeline(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TimelineEntry>, ServiceError> {
        self.story(actor, id).await
    }

    async fn message_count(&self, actor: &Actor, id: TicketId) -> Result<i64, ServiceError> {
        Ok(self.one(actor, id).await?.messages_count)
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
