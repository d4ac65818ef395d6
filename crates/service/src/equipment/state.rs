//! An item's status follows its tickets: a ticket about it that is open puts it in repair,
//! closing the last one makes it active again (see `EquipmentStatus::following_tickets`).
//! Done in the ticket change's own unit of work, with an audit row per item changed.

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{ClientInfo, Equipment, EquipmentId, Ticket, TicketStatus, UserId};
use fixdesk_repository::{batch::Batch, equipment, tickets};
use fixdesk_usecases::ServiceError;

use crate::trail;

/// The item an open ticket is about.
fn held_open(t: Option<&Ticket>) -> Option<EquipmentId> {
    t.filter(|t| t.status != TicketStatus::Closed)
        .and_then(|t| t.equipment_id)
}

/// After a ticket went from `before` to `after` (filed: no `before`; deleted: no `after`),
/// moves the status of each item whose open tickets may have changed.
pub(crate) async fn follow<C: ConnectionTrait>(
    conn: &C,
    actor: UserId,
    before: Option<&Ticket>,
    after: Option<&Ticket>,
    client: &ClientInfo,
    now: chrono::NaiveDateTime,
) -> Result<(), ServiceError> {
    let (was, is) = (held_open(before), held_open(after));
    if was == is {
        return Ok(());
    }
    for id in [was, is].into_iter().flatten() {
        let Some(item) = equipment::find(conn, id).await? else {
            continue;
        };
        let open = tickets::open_for_equipment(conn, id).await? > 0;
        let Some(status) = item.status.following_tickets(open) else {
            continue;
        };
        equipment::set_status(conn, id, status, now).await?;
        let moved = Equipment {
            status,
            updated_at: Some(now),
            ..item.clone()
        };
        let entry = trail::equipment_updated(actor, &item, &moved, client);
        trail::append(conn, Batch::on(conn), entry, now).await?;
    }
    Ok(())
}
