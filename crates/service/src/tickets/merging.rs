//! Duplicates and the people who share a ticket: merging a duplicate into the ticket that
//! stays, joining an open report about an item, and who may read a ticket because they
//! follow it.

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, ClientInfo, DomainError, EquipmentId, Ticket, TicketId, TicketStatus,
    ticket::{Access, ensure_can_follow, ensure_can_merge, visibility},
};
use fixdesk_repository::{batch::Batch, tickets::followers};
use fixdesk_usecases::ServiceError;
use serde_json::json;

use super::{Tickets, load, status_change};
use crate::trail;

/// How many open reports of one item the filing form names at most.
const OPEN_REPORTS_SHOWN: u64 = 10;

/// How `actor` relates to ticket `t`: as the domain says, or as one who follows it (asked of
/// the database only when the domain alone would refuse a requester).
pub(crate) async fn access<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    t: &Ticket,
) -> Result<Access, ServiceError> {
    match visibility(actor, t) {
        Err(DomainError::CannotViewTicket) if followers::follows(conn, t.id, actor.id).await? => {
            Ok(Access::Follower)
        }
        seen => Ok(seen?),
    }
}

impl Tickets {
    pub(super) async fn merge_into(
        &self,
        actor: &Actor,
        id: TicketId,
        into: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        actor.require_staff()?;
        let open = self.open(id).await?;
        let conn = open.uow.conn();
        let kept = match load(conn, into).await {
            Err(ServiceError::Domain(DomainError::TicketNotFound)) => {
                return Err(DomainError::UnknownMergeTarget.into());
            }
            found => found?,
        };
        ensure_can_merge(actor, &open.before, &kept)?;
        let dup = &open.before;
        // One person who reported it twice need not follow their own ticket.
        if dup.creator_id != kept.creator_id {
            followers::follow(conn, into, dup.creator_id, open.now).await?;
        }
        followers::carry_over(conn, id, into, kept.creator_id, open.now).await?;
        let entry = trail::ticket_joined(
            actor.id,
            &kept,
            json!({ "merged_from": id.0 }),
            format!("С заявкой #{into} объединена заявка #{id}"),
            client,
        );
        trail::append(conn, Batch::on(conn), entry, open.now).await?;
        let mut change = status_change(dup, TicketStatus::Closed, open.now);
        // No resolution is written for it: the link says what happened, in the reader's
        // language.
        change.merged_into_id = Some(Some(into));
        let d = format!("Заявка #{id} объединена с заявкой #{into} как дубликат");
        open.apply(actor, change, d, client).await?;
        self.one(actor, into).await
    }

    pub(super) async fn join(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        let conn = uow.conn();
        let t = load(conn, id).await?;
        ensure_can_follow(actor, &t)?;
        let now = self.ctx.clock.now();
        if t.creator_id != actor.id && followers::follow(conn, id, actor.id, now).await? {
            let entry = trail::ticket_joined(
                actor.id,
                &t,
                json!({ "follower": actor.id.0 }),
                format!("{} присоединился к заявке #{id}", actor.username),
                client,
            );
            trail::append(conn, Batch::on(conn), entry, now).await?;
            uow.commit().await?;
        }
        self.shown(actor, t).await
    }

    pub(super) async fn leave(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        let conn = uow.conn();
        let t = load(conn, id).await?;
        if followers::unfollow(conn, id, actor.id).await? {
            let entry = trail::ticket_joined(
                actor.id,
                &t,
                json!({ "follower_left": actor.id.0 }),
                format!("{} больше не следит за заявкой #{id}", actor.username),
                client,
            );
            trail::append(conn, Batch::on(conn), entry, self.ctx.clock.now()).await?;
            uow.commit().await?;
        }
        Ok(())
    }

    pub(super) async fn reports_of(
        &self,
        actor: &Actor,
        equipment: EquipmentId,
    ) -> Result<Vec<Ticket>, ServiceError> {
        let conn = self.ctx.db.reader();
        let open = followers::open_about(conn, equipment, OPEN_REPORTS_SHOWN).await?;
        if actor.role.is_staff() {
            return self.shown_all(actor, open).await;
        }
        // What anyone may join is the problem, not who reported it nor how.
        Ok(open
            .into_iter()
            .map(|t| Ticket {
                description: String::new(),
                creator_name: None,
                assigned_to_name: None,
                resolution: None,
                ..t
            })
            .collect())
    }
}
