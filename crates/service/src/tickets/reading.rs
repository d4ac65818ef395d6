//! Reading tickets: one, or a page of a filtered list, each as its reader may see it and — for
//! staff — with its service-level clocks as they read now (one call; no transport asks twice).

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, DomainError, Role, Ticket, TicketId, TicketQuery, UserId, ticket::Access,
};
use fixdesk_repository::{
    attachments, categories, equipment, messages, statistics, tickets, tickets::followers, users,
};
use fixdesk_usecases::{ServiceError, TicketInFull, TicketPage};

use super::{Tickets, load, merging::access, thread::told};

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

/// Narrows a query to what the actor may see.
fn scoped(actor: &Actor, mut query: TicketQuery) -> TicketQuery {
    if actor.role == Role::User {
        query.filter.visible_to_creator = Some(actor.id);
    }
    query
}

impl Tickets {
    /// Tickets as `actor` sees them: a requester without the staff's notes and clocks, staff
    /// with the clocks as they read now (the policies and calendars are held in memory).
    pub(crate) async fn shown_all(
        &self,
        actor: &Actor,
        tickets: Vec<Ticket>,
    ) -> Result<Vec<Ticket>, ServiceError> {
        let staff = actor.role.is_staff();
        let book = if staff && tickets.iter().any(|t| t.sla.is_some()) {
            Some(self.ctx.sla_book.get(self.ctx.db.reader()).await?)
        } else {
            None
        };
        let now = self.ctx.clock.now();
        Ok(tickets
            .into_iter()
            .map(|t| {
                let mut t = t.seen_by(actor);
                t.reading = match (&book, &t.sla) {
                    (Some(book), Some(sla)) => book
                        .rules_of(sla.policy_id)
                        .map(|(policy, calendar)| sla.read(policy, calendar, now, t.closed_at)),
                    _ => None,
                };
                t
            })
            .collect())
    }

    /// One ticket as `actor` sees it.
    pub(crate) async fn shown(&self, actor: &Actor, t: Ticket) -> Result<Ticket, ServiceError> {
        Ok(self
            .shown_all(actor, vec![t])
            .await?
            .pop()
            .ok_or(DomainError::TicketNotFound)?)
    }

    pub(super) async fn one(&self, actor: &Actor, id: TicketId) -> Result<Ticket, ServiceError> {
        let conn = self.ctx.db.reader();
        let t = load(conn, id).await?;
        access(conn, actor, &t).await?;
        self.shown(actor, t).await
    }

    /// The ticket and everything its page shows, from one reader.
    pub(super) async fn whole(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<TicketInFull, ServiceError> {
        let conn = self.ctx.db.reader();
        let t = load(conn, id).await?;
        let seen = access(conn, actor, &t).await?;
        let staff = actor.role.is_staff();
        let messages = messages::for_ticket(conn, id, staff).await?;
        let attachments = attachments::for_ticket(conn, id).await?;
        let timeline = told(conn, id, messages.clone(), attachments.clone(), staff).await?;
        let category = match t.category_id {
            Some(c) => categories::find(conn, c).await?.map(|c| c.name),
            None => None,
        };
        let equipment = match t.equipment_id {
            Some(e) => equipment::find(conn, e).await?.map(|e| e.name),
            None => None,
        };
        let ticket = self.shown(actor, t).await?;
        let calendar = match &ticket.reading {
            Some(r) => self
                .ctx
                .sla_book
                .get(conn)
                .await?
                .calendars
                .iter()
                .find(|c| c.id == r.calendar_id)
                .map(|c| c.name.clone()),
            None => None,
        };
        let mut merged_here = followers::merged_here(conn, id).await?;
        let (followers, following) = if staff {
            (followers::names(conn, id).await?, false)
        } else {
            for t in &mut merged_here {
                t.creator_name = None;
            }
            (Vec::new(), seen == Access::Follower)
        };
        Ok(TicketInFull {
            ticket,
            messages,
            timeline,
            attachments,
            category,
            equipment,
            calendar,
            merged_here,
            followers,
            following,
        })
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
        let query = scoped(actor, query);
        let items = self
            .shown_all(actor, tickets::list(conn, &query).await?)
            .await?;
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
}
