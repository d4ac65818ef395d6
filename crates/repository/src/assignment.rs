//! Assignment rules, agents' absences, and what fair assignment reads: the rule's turn (taken
//! with an update, which also makes concurrent filings under one rule wait for each other) and
//! the agents' open tickets.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use fixdesk_domain::{
    CategoryId, TicketStatus, UserId,
    assignment::{Absence, AssignmentRule, NewAbsence, RuleDraft, RuleId, Strategy},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    RepoError,
    entities::{agent_absence, assignment_rule, ticket},
};

fn rule_to_domain(m: assignment_rule::Model) -> Result<AssignmentRule, RepoError> {
    let invalid = |what: &str| RepoError::InvalidRow {
        table: "assignment_rules",
        reason: format!("{}: bad {what}", m.id),
    };
    let strategy = Strategy::parse(&m.strategy).map_err(|_| invalid("strategy"))?;
    let agents = m
        .agent_ids
        .split(',')
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<i64>()
                .map(UserId)
                .map_err(|_| invalid("agent_ids"))
        })
        .collect::<Result<_, _>>()?;
    Ok(AssignmentRule {
        id: RuleId(m.id),
        category_id: CategoryId(m.category_id),
        strategy,
        agents,
        enabled: m.enabled,
    })
}

fn rule_columns(m: &mut assignment_rule::ActiveModel, d: RuleDraft) {
    m.category_id = Set(d.category_id.0);
    m.strategy = Set(d.strategy.as_str().into());
    m.agent_ids = Set(d
        .agents
        .iter()
        .map(|a| a.0.to_string())
        .collect::<Vec<_>>()
        .join(","));
    m.enabled = Set(d.enabled);
}

pub async fn rules<C: ConnectionTrait>(conn: &C) -> Result<Vec<AssignmentRule>, RepoError> {
    assignment_rule::Entity::find()
        .order_by_asc(assignment_rule::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(rule_to_domain)
        .collect()
}

pub async fn find_rule<C: ConnectionTrait>(
    conn: &C,
    id: RuleId,
) -> Result<Option<AssignmentRule>, RepoError> {
    assignment_rule::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(rule_to_domain)
        .transpose()
}

/// The switched-on rule of a category, if any.
pub async fn enabled_rule_for<C: ConnectionTrait>(
    conn: &C,
    category: CategoryId,
) -> Result<Option<AssignmentRule>, RepoError> {
    assignment_rule::Entity::find()
        .filter(assignment_rule::Column::CategoryId.eq(category.0))
        .filter(assignment_rule::Column::Enabled.eq(true))
        .one(conn)
        .await?
        .map(rule_to_domain)
        .transpose()
}

pub async fn insert_rule<C: ConnectionTrait>(
    conn: &C,
    draft: RuleDraft,
    now: NaiveDateTime,
) -> Result<AssignmentRule, RepoError> {
    let mut m = assignment_rule::ActiveModel {
        turn: Set(0),
        created_at: Set(now),
        ..Default::default()
    };
    rule_columns(&mut m, draft);
    rule_to_domain(m.insert(conn).await?)
}

pub async fn update_rule<C: ConnectionTrait>(
    conn: &C,
    id: RuleId,
    draft: RuleDraft,
) -> Result<AssignmentRule, RepoError> {
    let current = assignment_rule::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut m: assignment_rule::ActiveModel = current.into();
    rule_columns(&mut m, draft);
    rule_to_domain(m.update(conn).await?)
}

pub async fn delete_rule<C: ConnectionTrait>(conn: &C, id: RuleId) -> Result<(), RepoError> {
    let r = assignment_rule::Entity::delete_by_id(id.0)
        .exec(conn)
        .await?;
    RepoError::found(r.rows_affected)
}

/// Advances the rule's turn and returns it. The update holds the rule's row until the unit of
/// work ends, so a second filing under the same rule waits here and then sees the first one's
/// assignment: no two pick by the same stale counts.
pub async fn take_turn<C: ConnectionTrait>(conn: &C, id: RuleId) -> Result<i64, RepoError> {
    assignment_rule::Entity::update_many()
        .col_expr(
            assignment_rule::Column::Turn,
            Expr::col(assignment_rule::Column::Turn).add(1),
        )
        .filter(assignment_rule::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    assignment_rule::Entity::find_by_id(id.0)
        .select_only()
        .column(assignment_rule::Column::Turn)
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .ok_or(RepoError::NotFound)
}

/// How many open tickets each of `agents` holds (absent from the map: none).
pub async fn open_counts<C: ConnectionTrait>(
    conn: &C,
    agents: &[UserId],
) -> Result<HashMap<UserId, u64>, RepoError> {
    let rows: Vec<(Option<i64>, i64)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::AssignedToId)
        .column_as(ticket::Column::Id.count(), "n")
        .filter(
            ticket::Column::Status
                .is_in([TicketStatus::New.rank(), TicketStatus::InProgress.rank()]),
        )
        .filter(ticket::Column::AssignedToId.is_in(agents.iter().map(|a| a.0)))
        .group_by(ticket::Column::AssignedToId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, n)| Some((UserId(a?), u64::try_from(n).unwrap_or(0))))
        .collect())
}

fn absence_to_domain(m: agent_absence::Model) -> Absence {
    Absence {
        id: m.id,
        user_id: UserId(m.user_id),
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        note: m.note,
    }
}

/// A person's absences that have not ended before `from`, soonest first.
pub async fn absences_of<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    from: NaiveDate,
) -> Result<Vec<Absence>, RepoError> {
    Ok(agent_absence::Entity::find()
        .filter(agent_absence::Column::UserId.eq(user.0))
        .filter(agent_absence::Column::EndsOn.gte(from))
        .order_by_asc(agent_absence::Column::StartsOn)
        .all(conn)
        .await?
        .into_iter()
        .map(absence_to_domain)
        .collect())
}

/// Which of `agents` are away on `day`.
pub async fn away_on<C: ConnectionTrait>(
    conn: &C,
    agents: &[UserId],
    day: NaiveDate,
) -> Result<HashSet<UserId>, RepoError> {
    let rows: Vec<i64> = agent_absence::Entity::find()
        .select_only()
        .column(agent_absence::Column::UserId)
        .filter(agent_absence::Column::UserId.is_in(agents.iter().map(|a| a.0)))
        .filter(agent_absence::Column::StartsOn.lte(day))
        .filter(agent_absence::Column::EndsOn.gte(day))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(UserId).collect())
}

pub async fn insert_absence<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    new: NewAbsence,
    now: NaiveDateTime,
) -> Result<Absence, RepoError> {
    let m = agent_absence::ActiveModel {
        user_id: Set(user.0),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        note: Set(new.note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(absence_to_domain(m))
}

pub async fn find_absence<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<Absence>, RepoError> {
    Ok(agent_absence::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(absence_to_domain))
}

pub async fn delete_absence<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), RepoError> {
    let r = agent_absence::Entity::delete_by_id(id).exec(conn).await?;
    RepoError::found(r.rows_affected)
}
