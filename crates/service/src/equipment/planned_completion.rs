//! The record a completed maintenance ticket leaves: closing a ticket that served a preventive
//! schedule's due date writes the maintenance on its item. Apart from `preventive` (which files
//! tickets) so closing a ticket need not reach back into the sweep.

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{ClientInfo, MaintenanceKind, Ticket, UserId, equipment::MaintenanceWork};
use fixdesk_repository::{batch::Batch, equipment, maintenance, preventive as plans};
use fixdesk_usecases::ServiceError;

use crate::trail;

/// A closed ticket that served a schedule's due date records the maintenance on its item (in
/// the closing's unit of work); the item's next due date moves with it.
pub(crate) async fn completed<C: ConnectionTrait>(
    conn: &C,
    actor: UserId,
    t: &Ticket,
    client: &ClientInfo,
    now: chrono::NaiveDateTime,
) -> Result<(), ServiceError> {
    let Some((occurrence, schedule, due)) = plans::open_for_ticket(conn, t.id).await? else {
        return Ok(());
    };
    plans::complete(conn, occurrence, now).await?;
    let (Some(s), Some(item)) = (
        plans::find(conn, schedule).await?,
        match t.equipment_id {
            Some(e) => equipment::find(conn, e).await?,
            None => None,
        },
    ) else {
        return Ok(());
    };
    let mut description = format!("{} (план, срок {due})", s.title);
    if let Some(r) = t.resolution.as_ref().filter(|r| !r.as_str().is_empty()) {
        description.push_str(": ");
        description.push_str(r.as_str());
    }
    let m = maintenance::insert(
        conn,
        item.id,
        MaintenanceKind::Maintenance,
        description,
        now,
        actor,
        MaintenanceWork::default(),
    )
    .await?;
    let newest = maintenance::newest(conn, item.id).await?;
    equipment::set_last_maintenance(conn, item.id, newest).await?;
    let entry = trail::maintenance_recorded(actor, &item, &m, client);
    trail::append(conn, Batch::on(conn), entry, now).await?;
    Ok(())
}
