//! A ticket's thread: posting a message (or a staff-only note) in the caller's unit of work,
//! reading the thread, and the ticket's timeline (its audit rows, messages and files as one
//! story).

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, AuditEntity, AuditFilter, ClientInfo, DomainError, MessageText, Page, Ticket, TicketId,
    TicketMessage, TicketStatus,
    counters::delta,
    timeline::{self, TimelineEntry},
};
use fixdesk_repository::{
    attachments, audit, batch::Batch, messages, statistics, tickets, tickets::TicketUpdate, users,
};
use fixdesk_usecases::ServiceError;

use super::{Tickets, load, merging::access};
use crate::{notifications::recipients, sla::clocks, trail};

impl Tickets {
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
        access(conn, actor, &t).await?;
        let posted = messages::insert(conn, id, actor.id, text.into_inner(), internal, now).await?;
        tickets::add_message_count(conn, id, actor.id, internal, now).await?;
        let moved = self
            .clocks_after_message(conn, actor, &t, internal, now)
            .await?;
        let mut batch = Batch::on(conn);
        if let Some(after) = &moved {
            statistics::apply(&mut batch, delta(Some(&t), Some(after)));
        }
        recipients::message_posted(&mut batch, actor, &t, &posted, now)?;
        let entry = trail::message_posted(actor.id, &posted, client);
        trail::append(conn, batch, entry, now).await?;
        Ok(posted)
    }

    pub(super) async fn thread(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TicketMessage>, ServiceError> {
        let conn = self.ctx.db.reader();
        let t = load(conn, id).await?;
        access(conn, actor, &t).await?;
        Ok(messages::for_ticket(conn, id, actor.role.is_staff()).await?)
    }

    pub(super) async fn story(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TimelineEntry>, ServiceError> {
        let conn = self.ctx.db.reader();
        let t = load(conn, id).await?;
        access(conn, actor, &t).await?;
        let staff = actor.role.is_staff();
        let thread = messages::for_ticket(conn, id, staff).await?;
        let files = attachments::for_ticket(conn, id).await?;
        told(conn, id, thread, files, staff).await
    }
}

/// The ticket's story from its audit rows, its thread and its files (as `staff` or not may
/// see them), with the people it hands the ticket to named.
pub(super) async fn told<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    thread: Vec<TicketMessage>,
    files: Vec<fixdesk_domain::Attachment>,
    staff: bool,
) -> Result<Vec<TimelineEntry>, ServiceError> {
    let filter = AuditFilter {
        entity_type: Some(AuditEntity::Ticket.as_str().into()),
        entity_id: Some(id.0),
        ..AuditFilter::default()
    };
    let mut rows = audit::list(conn, &filter, Page::new(0, Page::MAX_LIMIT as i64)).await?;
    rows.reverse();
    let mut entries = timeline::assemble(&rows, thread, files, staff);
    let names = users::display_names(conn, timeline::assignees(&entries)).await?;
    timeline::name_assignees(&mut entries, &names);
    Ok(entries)
}
