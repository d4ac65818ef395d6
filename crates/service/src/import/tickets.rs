//! Tickets.

use std::collections::{HashMap, HashSet};

use fixdesk_db::ConnectionTrait;
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
    users,
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run, users::People};

pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    known: &People,
    categories: &HashSet<i64>,
    equipment: &HashSet<i64>,
) -> Result<HashSet<i64>, ServiceError> {
    let people: HashMap<i64, (bool, bool)> = users::with_ids(
        run.conn,
        known.known.iter().copied().map(fixdesk_domain::UserId),
    )
    .await?
    .into_iter()
    .map(|u| (u.id.0, (u.role.is_staff(), u.is_active)))
    .collect();
    let mut ids = HashSet::new();
    run.each_batch(
        "tickets",
        columns::TICKETS,
        |run, batch: Vec<legacy::Ticket>| {
            let mut out = Vec::new();
            for t in batch {
                let id = t.id;
                let status = run.note("tickets", id, repair::status(t.status.as_deref()));
                let created_at = run.note(
                    "tickets",
                    id,
                    repair::timestamp("created_at", t.created_at.as_deref(), run.now),
                );
                let updated_at =
                    repair::parse_timestamp(t.updated_at.as_deref()).unwrap_or(created_at);
                let category_id = t.category_id.filter(|c| {
                    let ok = categories.contains(c);
                    if !ok {
                        run.repair(
                            "tickets",
                            id,
                            format!("category {c} does not exist"),
                            "category removed",
                        );
                    }
                    ok
                });
                let equipment_id = t.equipment_id.filter(|e| {
                    let ok = equipment.contains(e);
                    if !ok {
                        run.repair(
                            "tickets",
                            id,
                            format!("equipment {e} does not exist"),
                            "equipment removed",
                        );
                    }
                    ok
                });
                let assigned_to_id = match t.assigned_to_id {
                    Some(a) if people.get(&a) == Some(&(true, false)) => {
                        run.repair(
                            "tickets",
                            id,
                            format!("assignee {a} is an inactive agent"),
                            "kept: the assignment is history",
                        );
                        Some(a)
                    }
                    Some(a) if people.get(&a).is_some_and(|p| p.0) => Some(a),
                    Some(a) => {
                        run.repair(
                            "tickets",
                            id,
                            format!("assignee {a} is not an agent or admin"),
                            "unassigned",
                        );
                        None
                    }
                    None => None,
                };
                if let Some(creator) = t.creator_id.filter(|c| known.placeholders.contains(c)) {
                    run.repair(
                        "tickets",
                        id,
                        format!("creator {creator} does not exist"),
                        "points at the 'deleted user' placeholder",
                    );
                }
                ids.insert(id);
                out.push(rows::Ticket {
                    planned: false,
                    downtime_minutes: None,
                    id,
                    title: run.note(
                        "tickets",
                        id,
                        repair::text("title", t.title.as_deref(), 100, Some("Без названия")),
                    ),
                    description: t.description.unwrap_or_default(),
                    status: status.rank(),
                    priority: run
                        .note("tickets", id, repair::priority(t.priority.as_deref()))
                        .rank(),
                    resolution: t.resolution.filter(|r| !r.trim().is_empty()),
                    room_number: run.note(
                        "tickets",
                        id,
                        repair::text(
                            "room_number",
                            t.room_number.as_deref(),
                            20,
                            Some("не указан"),
                        ),
                    ),
                    created_at,
                    updated_at,
                    // The old service kept no closing time: the last update is the best we have.
                    closed_at: (status == fixdesk_domain::TicketStatus::Closed)
                        .then_some(updated_at),
                    status_changed_at: updated_at,
                    is_hidden_for_creator: t.is_hidden_for_creator.unwrap_or(false),
                    creator_id: t.creator_id.unwrap_or(0),
                    assigned_to_id,
                    category_id,
                    equipment_id,
                    messages_count: 0,
                    last_message_by: None,
                    search_text: String::new(),
                    // The old service had no service levels nor internal notes.
                    sla_policy_id: None,
                    sla_first_response_due_at: None,
                    sla_first_responded_at: None,
                    sla_resolution_due_at: None,
                    sla_paused_since: None,
                    sla_paused_minutes: 0,
                    sla_stage: 0,
                    sla_next_check_at: None,
                    sla_due_open: None,
                    waiting_on_requester: false,
                    internal_messages_count: 0,
                    merged_into_id: None,
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::tickets(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await?;
    Ok(ids)
}
