//! Listing tickets: the filter as a query condition, the agent's "my work" view as two index
//! ranges merged, sorting, and counting the matches (bounded).

use fixdesk_domain::{
    Page, SearchTerms, Ticket, TicketFilter, TicketQuery, TicketSort, TicketSortKey, TicketStatus,
    UserId,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, NullOrdering},
};

use super::{named, read_named};
use crate::{RepoError, entities::ticket};

fn condition(backend: DbBackend, filter: &TicketFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(s) = filter.status {
        c = c.add(ticket::Column::Status.eq(s.rank()));
    }
    if let Some(p) = filter.priority {
        c = c.add(ticket::Column::Priority.eq(p.rank()));
    }
    if let Some(id) = filter.category_id {
        c = c.add(ticket::Column::CategoryId.eq(id.0));
    }
    if let Some(id) = filter.assigned_to_id {
        c = c.add(ticket::Column::AssignedToId.eq(id.0));
    }
    if let Some(id) = filter.creator_id {
        c = c.add(ticket::Column::CreatorId.eq(id.0));
    }
    if let Some(id) = filter.equipment_id {
        c = c.add(ticket::Column::EquipmentId.eq(id.0));
    }
    if let Some(user) = filter.visible_to_creator {
        c = c
            .add(ticket::Column::CreatorId.eq(user.0))
            .add(ticket::Column::IsHiddenForCreator.eq(false));
    }
    if filter.unassigned {
        c = c.add(ticket::Column::AssignedToId.is_null());
    }
    if filter.open_only {
        c = c.add(ticket::Column::Status.ne(TicketStatus::Closed.rank()));
    }
    if let Some((from, until)) = filter.due_between {
        // Only running clocks have a due time in this column: one ordered index range.
        c = c.add(ticket::Column::SlaDueOpen.lt(until));
        if let Some(from) = from {
            c = c.add(ticket::Column::SlaDueOpen.gte(from));
        }
    }
    if let Some(term) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let mut any = Condition::any().add(ticket::Column::RoomNumber.eq(term));
        let terms = SearchTerms::parse(term);
        match terms.as_ref().and_then(|t| {
            crate::search::matching_tickets(backend, t, filter.visible_to_creator.is_some())
        }) {
            Some(indexed) => any = any.add(indexed),
            // Only words too short for the index: looked for as typed.
            None => {
                any =
                    any.add(Expr::col(ticket::Column::SearchText).like(crate::like::contains(term)))
            }
        }
        if let Some(id) = terms.and_then(|t| t.number) {
            any = any.add(ticket::Column::Id.eq(id));
        }
        if !filter.search_authors.is_empty() {
            any =
                any.add(ticket::Column::CreatorId.is_in(filter.search_authors.iter().map(|u| u.0)));
        }
        c = c.add(any);
    }
    c
}

/// An agent's working list as its two halves — the queue, and the open tickets they hold —
/// each of which an index reads in order (together, as one `OR`, the database would walk the
/// whole table in date order to find them).
fn work_halves(filter: &TicketFilter, me: UserId) -> [TicketFilter; 2] {
    let rest = TicketFilter {
        work_of: None,
        ..filter.clone()
    };
    [
        TicketFilter {
            status: Some(TicketStatus::New),
            unassigned: true,
            ..rest.clone()
        },
        TicketFilter {
            assigned_to_id: Some(me),
            open_only: true,
            ..rest
        },
    ]
}

/// The order of a sort key between two tickets, ties broken by id.
fn compare(a: &Ticket, b: &Ticket, sort: TicketSort) -> std::cmp::Ordering {
    let by = match sort.key {
        TicketSortKey::CreatedAt => a.created_at.cmp(&b.created_at),
        TicketSortKey::UpdatedAt => a.updated_at.cmp(&b.updated_at),
        TicketSortKey::Priority => a.priority.rank().cmp(&b.priority.rank()),
        TicketSortKey::Status => a.status.rank().cmp(&b.status.rank()),
        TicketSortKey::Id => std::cmp::Ordering::Equal,
        // Tickets without a due time after every one with one, either way round.
        TicketSortKey::DueAt => {
            let due = |t: &Ticket| {
                t.sla
                    .as_ref()
                    .filter(|s| s.paused_since.is_none())
                    .map(|s| s.resolution_due_at)
            };
            // Tied, the higher priority first (so descending puts it last), then the number.
            let by_priority = b.priority.rank().cmp(&a.priority.rank());
            match (due(a), due(b)) {
                (Some(x), Some(y)) => x.cmp(&y).then(by_priority),
                (Some(_), None) => return std::cmp::Ordering::Less,
                (None, Some(_)) => return std::cmp::Ordering::Greater,
                (None, None) => by_priority,
            }
        }
    }
    .then(a.id.0.cmp(&b.id.0));
    if sort.descending { by.reverse() } else { by }
}

/// One page of tickets matching the query, in its order (ties broken by id).
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    query: &TicketQuery,
) -> Result<Vec<Ticket>, RepoError> {
    if let Some(me) = query.filter.work_of {
        // The page is among the first `offset + limit` of either half: read those, merge.
        let window = Page {
            offset: 0,
            limit: query.page.offset + query.page.limit,
        };
        let mut merged = Vec::new();
        for half in work_halves(&query.filter, me) {
            let part = TicketQuery {
                filter: half,
                page: window,
                ..query.clone()
            };
            merged.extend(Box::pin(list(conn, &part)).await?);
        }
        merged.sort_by(|a, b| compare(a, b, query.sort));
        return Ok(merged
            .into_iter()
            .skip(usize::try_from(query.page.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(query.page.limit).unwrap_or(usize::MAX))
            .collect());
    }
    let order = if query.sort.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let column = match query.sort.key {
        TicketSortKey::CreatedAt => ticket::Column::CreatedAt,
        TicketSortKey::UpdatedAt => ticket::Column::UpdatedAt,
        TicketSortKey::Priority => ticket::Column::Priority,
        TicketSortKey::Status => ticket::Column::Status,
        TicketSortKey::Id => ticket::Column::Id,
        TicketSortKey::DueAt => ticket::Column::SlaDueOpen,
    };
    let mut select = named().filter(condition(conn.get_database_backend(), &query.filter));
    // Tickets whose clock does not run have no due time and come last; within a due window
    // every ticket has one, and the index gives the order.
    select = if query.sort.key == TicketSortKey::DueAt && query.filter.due_between.is_none() {
        select.order_by_with_nulls(column, order.clone(), NullOrdering::Last)
    } else {
        select.order_by(column, order.clone())
    };
    // Equally due, the higher priority first; the index of due times holds this order.
    if query.sort.key == TicketSortKey::DueAt {
        let reverse = if query.sort.descending {
            Order::Asc
        } else {
            Order::Desc
        };
        select = select.order_by(ticket::Column::Priority, reverse);
    }
    if query.sort.key != TicketSortKey::Id {
        select = select.order_by(ticket::Column::Id, order);
    }
    read_named(
        conn,
        select.offset(query.page.offset).limit(query.page.limit),
    )
    .await
}

/// How many tickets match the filter; with a `limit`, at most one more than it (so a caller
/// can tell "more than `limit`").
pub async fn count<C: ConnectionTrait>(
    conn: &C,
    filter: &TicketFilter,
    limit: Option<u64>,
) -> Result<u64, RepoError> {
    if let Some(me) = filter.work_of {
        // The halves do not overlap (one holds nobody's tickets, the other one person's).
        let mut total = 0;
        for half in work_halves(filter, me) {
            total += Box::pin(count(conn, &half, limit)).await?;
        }
        return Ok(total);
    }
    let matching = ticket::Entity::find().filter(condition(conn.get_database_backend(), filter));
    Ok(match limit {
        Some(n) => {
            matching
                .select_only()
                .column(ticket::Column::Id)
                .limit(n + 1)
                .count(conn)
                .await?
        }
        None => matching.count(conn).await?,
    })
}
