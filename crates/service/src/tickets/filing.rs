//! Filing a ticket, in the caller's unit of work (a person's request, a mail, a maintenance
//! schedule), with everything that goes with it.

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{Actor, ClientInfo, NewTicket, Ticket, UserId, counters::delta};
use fixdesk_repository::{batch::Batch, statistics, tickets};
use fixdesk_usecases::ServiceError;

use super::{Tickets, ensure_category, ensure_equipment};
use crate::{
    assignment::fair_pick, equipment::state, notifications::recipients, sla::clocks, trail,
};

/// Who files a ticket: their id and shown name, and whether it is planned maintenance.
#[derive(Debug, Clone)]
pub(crate) struct Filer {
    pub id: UserId,
    pub name: String,
    pub planned: bool,
}

impl Tickets {
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
        state::follow(conn, creator, None, Some(&ticket), client, now).await?;
        let mut batch = Batch::on(conn);
        statistics::apply(&mut batch, delta(None, Some(&ticket)));
        recipients::ticket_created(&mut batch, creator, &ticket, now)?;
        recipients::auto_assigned(&mut batch, &ticket, now)?;
        let entry = trail::ticket_created(creator, &ticket, client);
        trail::append(conn, batch, entry, now).await?;
        Ok(ticket)
    }

    /// A person files a ticket in their own name.
    pub(super) async fn create_as(
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
        self.shown(actor, ticket).await
    }
}
