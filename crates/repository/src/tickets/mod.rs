//! Tickets. Reads return domain tickets with the creator's and assignee's names, joined in the
//! same query (one statement for a ticket or a whole page).

use chrono::NaiveDateTime;
use fixdesk_domain::{
    CategoryId, EquipmentId, Priority, Ticket, TicketId, TicketStatus, UserId,
    sla::{PolicyId, SlaStage, TicketSla},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Iterable, JoinType,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
    sea_query::{Alias, Expr, ExprTrait, NullOrdering},
};

pub mod followers;
mod listing;

pub use listing::{count, list};

use crate::{
    RepoError,
    entities::{ticket, user},
    users,
};

/// The columns of a new ticket row, already validated.
#[derive(Debug, Clone)]
pub struct NewTicketRow {
    pub title: String,
    pub description: String,
    pub room_number: String,
    pub priority: Priority,
    pub category_id: Option<CategoryId>,
    pub equipment_id: Option<EquipmentId>,
    pub creator_id: UserId,
    /// The creator's display name, known to the caller: the new ticket is answered without
    /// reading it back.
    pub creator_name: String,
    /// Given by an assignment rule: the ticket starts in work with them.
    pub assignee: Option<UserId>,
    /// Opened by a maintenance schedule.
    pub planned: bool,
}

/// Columns to change; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct TicketUpdate {
    pub title: Option<String>,
    pub description: Option<String>,
    pub room_number: Option<String>,
    pub priority: Option<Priority>,
    pub category_id: Option<Option<CategoryId>>,
    pub equipment_id: Option<Option<EquipmentId>>,
    pub status: Option<TicketStatus>,
    pub closed_at: Option<Option<NaiveDateTime>>,
    pub assigned_to_id: Option<Option<UserId>>,
    pub resolution: Option<Option<String>>,
    pub hidden_for_creator: Option<bool>,
    pub waiting_on_requester: Option<bool>,
    pub downtime_minutes: Option<Option<i64>>,
    pub merged_into_id: Option<Option<TicketId>>,
    /// New clocks (`Some(None)`: no policy applies any more) and when the sweep looks next.
    pub sla: Option<Option<SlaColumns>>,
}

/// A ticket's service-level clocks and the sweep's next look at them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaColumns {
    pub clocks: TicketSla,
    pub next_check_at: Option<NaiveDateTime>,
}

/// What text search looks in: title and description, lower-cased.
pub(crate) fn search_text(title: &str, description: &str) -> String {
    format!("{title}\n{description}").to_lowercase()
}

fn invalid(id: i64, what: &str) -> RepoError {
    RepoError::InvalidRow {
        table: "tickets",
        reason: format!("ticket {id}: bad {what}"),
    }
}

/// The people's display names beside a ticket row.
#[derive(Debug, Default)]
struct Names {
    creator: Option<String>,
    assignee: Option<String>,
}

/// The clocks stored on a row, when a policy applies.
fn clocks(m: &ticket::Model) -> Option<TicketSla> {
    Some(TicketSla {
        policy_id: PolicyId(m.sla_policy_id?),
        filed_at: m.created_at,
        first_response_due_at: m.sla_first_response_due_at?,
        first_responded_at: m.sla_first_responded_at,
        resolution_due_at: m.sla_resolution_due_at?,
        paused_since: m.sla_paused_since,
        paused_minutes: m.sla_paused_minutes,
        stage: SlaStage(m.sla_stage),
    })
}

fn set_clocks(m: &mut ticket::ActiveModel, sla: Option<SlaColumns>) {
    let clocks = sla.as_ref().map(|s| &s.clocks);
    m.sla_policy_id = Set(clocks.map(|c| c.policy_id.0));
    m.sla_first_response_due_at = Set(clocks.map(|c| c.first_response_due_at));
    m.sla_first_responded_at = Set(clocks.and_then(|c| c.first_responded_at));
    m.sla_resolution_due_at = Set(clocks.map(|c| c.resolution_due_at));
    m.sla_paused_since = Set(clocks.and_then(|c| c.paused_since));
    m.sla_paused_minutes = Set(clocks.map_or(0, |c| c.paused_minutes));
    m.sla_stage = Set(clocks.map_or(0, |c| c.stage.0));
    m.sla_due_open = Set(clocks
        .filter(|c| c.paused_since.is_none())
        .map(|c| c.resolution_due_at));
    m.sla_next_check_at = Set(sla.and_then(|s| s.next_check_at));
}

fn to_domain(m: ticket::Model, names: Names) -> Result<Ticket, RepoError> {
    let sla = clocks(&m);
    let creator = UserId(m.creator_id);
    let assignee = m.assigned_to_id.map(UserId);
    Ok(Ticket {
        id: TicketId(m.id),
        status: TicketStatus::from_rank(m.status).ok_or_else(|| invalid(m.id, "status"))?,
        priority: Priority::from_rank(m.priority).ok_or_else(|| invalid(m.id, "priority"))?,
        title: m.title,
        description: m.description,
        category_id: m.category_id.map(CategoryId),
        room_number: m.room_number,
        equipment_id: m.equipment_id.map(EquipmentId),
        created_at: m.created_at,
        updated_at: m.updated_at,
        closed_at: m.closed_at,
        status_changed_at: m.status_changed_at,
        creator_id: creator,
        creator_name: names.creator,
        assigned_to_id: assignee,
        assigned_to_name: names.assignee,
        resolution: m.resolution,
        hidden_for_creator: m.is_hidden_for_creator,
        messages_count: m.messages_count,
        last_message_by: m.last_message_by.map(UserId),
        internal_messages_count: m.internal_messages_count,
        waiting_on_requester: m.waiting_on_requester,
        merged_into_id: m.merged_into_id.map(TicketId),
        planned: m.planned,
        downtime_minutes: m.downtime_minutes,
        sla,
        reading: None,
    })
}

/// Rows as domain tickets without the people's names (for bulk work such as recounting).
pub(crate) fn rows_to_domain(rows: Vec<ticket::Model>) -> Result<Vec<Ticket>, RepoError> {
    rows.into_iter()
        .map(|m| to_domain(m, Names::default()))
        .collect()
}

async fn with_names<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<ticket::Model>,
) -> Result<Vec<Ticket>, RepoError> {
    let people = rows
        .iter()
        .flat_map(|t| std::iter::once(t.creator_id).chain(t.assigned_to_id))
        .map(UserId);
    let names = users::display_names(conn, people).await?;
    rows.into_iter()
        .map(|m| {
            let people = Names {
                creator: names.get(&UserId(m.creator_id)).cloned(),
                assignee: m
                    .assigned_to_id
                    .and_then(|a| names.get(&UserId(a)).cloned()),
            };
            to_domain(m, people)
        })
        .collect()
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    row: NewTicketRow,
    sla: Option<SlaColumns>,
    now: NaiveDateTime,
) -> Result<Ticket, RepoError> {
    let mut model = ticket::ActiveModel {
        search_text: Set(search_text(&row.title, &row.description)),
        title: Set(row.title),
        description: Set(row.description),
        status: Set(if row.assignee.is_some() {
            TicketStatus::InProgress
        } else {
            TicketStatus::New
        }
        .rank()),
        priority: Set(row.priority.rank()),
        resolution: Set(None),
        room_number: Set(row.room_number),
        created_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
        status_changed_at: Set(now),
        is_hidden_for_creator: Set(false),
        creator_id: Set(row.creator_id.0),
        assigned_to_id: Set(row.assignee.map(|u| u.0)),
        category_id: Set(row.category_id.map(|c| c.0)),
        equipment_id: Set(row.equipment_id.map(|e| e.0)),
        messages_count: Set(0),
        last_message_by: Set(None),
        waiting_on_requester: Set(false),
        planned: Set(row.planned),
        downtime_minutes: Set(None),
        internal_messages_count: Set(0),
        ..Default::default()
    };
    set_clocks(&mut model, sla);
    let model = model.insert(conn).await?;
    let assignee = match row.assignee {
        Some(a) => users::display_names(conn, [a]).await?.remove(&a),
        None => None,
    };
    let names = Names {
        creator: Some(row.creator_name),
        assignee,
    };
    to_domain(model, names)
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: TicketId) -> Result<Option<Ticket>, RepoError> {
    let select = named().filter(ticket::Column::Id.eq(id.0));
    Ok(read_named(conn, select).await?.pop())
}

/// Who a ticket row's person column joins to, under which alias.
fn person(column: ticket::Column, alias: &'static str) -> (sea_orm::RelationDef, Alias) {
    let relation = ticket::Entity::belongs_to(user::Entity)
        .from(column)
        .to(user::Column::Id)
        .into();
    (relation, Alias::new(alias))
}

/// The ticket columns a reader sees (every one but the search copy of title and description,
/// which would double the text read for each row) and the creator's and assignee's names.
fn named() -> Select<ticket::Entity> {
    let (creator, c) = person(ticket::Column::CreatorId, "creator");
    let (assignee, a) = person(ticket::Column::AssignedToId, "assignee");
    ticket::Entity::find()
        .select_only()
        .columns(ticket::Column::iter().filter(|c| !matches!(c, ticket::Column::SearchText)))
        .column_as(Expr::val(""), "search_text")
        .column_as(
            Expr::col((c.clone(), user::Column::Username)),
            "creator_username",
        )
        .column_as(
            Expr::col((c.clone(), user::Column::FullName)),
            "creator_full_name",
        )
        .column_as(
            Expr::col((a.clone(), user::Column::Username)),
            "assignee_username",
        )
        .column_as(
            Expr::col((a.clone(), user::Column::FullName)),
            "assignee_full_name",
        )
        .join_as(JoinType::LeftJoin, creator, c)
        .join_as(JoinType::LeftJoin, assignee, a)
}

async fn read_named<C: ConnectionTrait>(
    conn: &C,
    select: Select<ticket::Entity>,
) -> Result<Vec<Ticket>, RepoError> {
    let rows = conn
        .query_all_raw(select.build(conn.get_database_backend()))
        .await?;
    rows.iter()
        .map(|row| {
            let m = ticket::Model::from_query_result(row, "")?;
            let name = |username: &str, full_name: &str| -> Result<Option<String>, RepoError> {
                let username: Option<String> = row.try_get("", username)?;
                let full_name: Option<String> = row.try_get("", full_name)?;
                Ok(username.map(|u| fixdesk_domain::display_name(full_name.as_deref(), &u)))
            };
            let names = Names {
                creator: name("creator_username", "creator_full_name")?,
                assignee: match m.assigned_to_id {
                    Some(_) => name("assignee_username", "assignee_full_name")?,
                    None => None,
                },
            };
            to_domain(m, names)
        })
        .collect()
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    change: TicketUpdate,
    now: NaiveDateTime,
) -> Result<Ticket, RepoError> {
    let current = ticket::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut m: ticket::ActiveModel = current.clone().into();
    m.updated_at = Set(now);
    if change.title.is_some() || change.description.is_some() {
        let title = change.title.as_deref().unwrap_or(&current.title);
        let description = change
            .description
            .as_deref()
            .unwrap_or(&current.description);
        m.search_text = Set(search_text(title, description));
    }
    if let Some(v) = change.title {
        m.title = Set(v);
    }
    if let Some(v) = change.description {
        m.description = Set(v);
    }
    if let Some(v) = change.room_number {
        m.room_number = Set(v);
    }
    if let Some(v) = change.priority {
        m.priority = Set(v.rank());
    }
    if let Some(v) = change.category_id {
        m.category_id = Set(v.map(|c| c.0));
    }
    if let Some(v) = change.equipment_id {
        m.equipment_id = Set(v.map(|e| e.0));
    }
    if let Some(v) = change.status
        && v.rank() != current.status
    {
        m.status = Set(v.rank());
        m.status_changed_at = Set(now);
    }
    if let Some(v) = change.closed_at {
        m.closed_at = Set(v);
    }
    if let Some(v) = change.assigned_to_id {
        m.assigned_to_id = Set(v.map(|u| u.0));
    }
    if let Some(v) = change.resolution {
        m.resolution = Set(v);
    }
    if let Some(v) = change.hidden_for_creator {
        m.is_hidden_for_creator = Set(v);
    }
    if let Some(v) = change.downtime_minutes {
        m.downtime_minutes = Set(v);
    }
    if let Some(v) = change.waiting_on_requester {
        m.waiting_on_requester = Set(v);
    }
    if let Some(v) = change.merged_into_id {
        m.merged_into_id = Set(v.map(|t| t.0));
    }
    if let Some(v) = change.sla {
        set_clocks(&mut m, v);
    }
    let saved = m.update(conn).await?;
    Ok(with_names(conn, vec![saved]).await?.remove(0))
}

/// Assigns the ticket to `agent` unless someone else holds it — decided by the database in one
/// statement, so of two agents claiming at once exactly one wins. A `new` ticket moves to
/// `in_progress`. Returns whether the claim took.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    agent: UserId,
    now: NaiveDateTime,
) -> Result<bool, RepoError> {
    let new = TicketStatus::New.rank();
    let status = Expr::case(
        ticket::Column::Status.eq(new),
        Expr::val(TicketStatus::InProgress.rank()),
    )
    .finally(Expr::col(ticket::Column::Status));
    let changed = Expr::case(ticket::Column::Status.eq(new), Expr::val(now))
        .finally(Expr::col(ticket::Column::StatusChangedAt));
    let r = ticket::Entity::update_many()
        .col_expr(ticket::Column::AssignedToId, Expr::value(agent.0))
        .col_expr(ticket::Column::StatusChangedAt, changed.into())
        .col_expr(ticket::Column::Status, status.into())
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .filter(ticket::Column::Id.eq(id.0))
        .filter(
            Condition::any()
                .add(ticket::Column::AssignedToId.is_null())
                .add(ticket::Column::AssignedToId.eq(agent.0)),
        )
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Counts a new message on the ticket by `author`; an internal note is counted apart and
/// does not make its author the last to have written.
pub async fn add_message_count<C: ConnectionTrait>(
    conn: &C,
    id: TicketId,
    author: UserId,
    internal: bool,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let mut update = ticket::Entity::update_many().col_expr(
        ticket::Column::MessagesCount,
        Expr::col(ticket::Column::MessagesCount).add(1),
    );
    update = if internal {
        update.col_expr(
            ticket::Column::InternalMessagesCount,
            Expr::col(ticket::Column::InternalMessagesCount).add(1),
        )
    } else {
        update.col_expr(ticket::Column::LastMessageBy, Expr::value(author.0))
    };
    update
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .filter(ticket::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: TicketId) -> Result<(), RepoError> {
    let r = ticket::Entity::delete_by_id(id.0).exec(conn).await?;
    RepoError::found(r.rows_affected)
}

/// Whether any ticket refers to the category.
pub async fn in_category<C: ConnectionTrait>(conn: &C, id: CategoryId) -> Result<u64, RepoError> {
    Ok(ticket::Entity::find()
        .filter(ticket::Column::CategoryId.eq(id.0))
        .count(conn)
        .await?)
}

/// Whether any ticket refers to the equipment.
pub async fn for_equipment<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
) -> Result<u64, RepoError> {
    Ok(ticket::Entity::find()
        .filter(ticket::Column::EquipmentId.eq(id.0))
        .count(conn)
        .await?)
}

/// How many tickets about an item are not closed.
pub async fn open_for_equipment<C: ConnectionTrait>(
    conn: &C,
    id: EquipmentId,
) -> Result<u64, RepoError> {
    Ok(ticket::Entity::find()
        .filter(ticket::Column::EquipmentId.eq(id.0))
        .filter(ticket::Column::Status.ne(TicketStatus::Closed.rank()))
        .count(conn)
        .await?)
}

/// The head of the queue: new tickets nobody holds, the soonest due first (those without a
/// due time after), then the oldest.
pub async fn queue_head<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<TicketId>, RepoError> {
    Ok(ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .filter(ticket::Column::Status.eq(TicketStatus::New.rank()))
        .filter(ticket::Column::AssignedToId.is_null())
        .order_by_with_nulls(ticket::Column::SlaDueOpen, Order::Asc, NullOrdering::Last)
        .order_by_asc(ticket::Column::CreatedAt)
        .order_by_asc(ticket::Column::Id)
        .limit(limit)
        .into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .map(TicketId)
        .collect())
}

/// Open tickets with ids above `after`, in id order: a batch of a walk over every open ticket.
pub async fn open_after<C: ConnectionTrait>(
    conn: &C,
    after: TicketId,
    limit: u64,
) -> Result<Vec<Ticket>, RepoError> {
    let rows = ticket::Entity::find()
        .filter(ticket::Column::Id.gt(after.0))
        .filter(ticket::Column::Status.ne(TicketStatus::Closed.rank()))
        .order_by_asc(ticket::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    rows_to_domain(rows)
}
