//! The job queue. Claiming sets a lease: a job runs on one worker at a time, and one whose
//! worker died is claimed again once its lease has run out.

use chrono::{Duration, NaiveDateTime};
use fixdesk_domain::{Job, JobKind, JobState, UserId, job::backoff_secs};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{RepoError, entities::job};

fn to_domain(m: job::Model) -> Result<Job, RepoError> {
    Ok(Job {
        state: JobState::parse(&m.state).ok_or_else(|| RepoError::InvalidRow {
            table: "jobs",
            reason: format!("job {}: state {}", m.id, m.state),
        })?,
        id: m.id,
        kind: m.kind,
        payload: m.payload,
        attempts: m.attempts,
        max_attempts: m.max_attempts,
        run_after: m.run_after,
        last_error: m.last_error,
        progress: m.progress,
        result: m.result,
        created_by: m.created_by.map(UserId),
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    kind: JobKind,
    payload: String,
    created_by: Option<UserId>,
    now: NaiveDateTime,
) -> Result<Job, RepoError> {
    let m = job::ActiveModel {
        kind: Set(kind.as_str().to_string()),
        payload: Set(payload),
        state: Set(JobState::Queued.as_str().into()),
        attempts: Set(0),
        max_attempts: Set(5),
        run_after: Set(now),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        progress: Set(0),
        result: Set(None),
        created_by: Set(created_by.map(|u| u.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    to_domain(m)
}

/// Jobs that may be taken now: queued and due, or running on a lease that has run out.
fn claimable(now: NaiveDateTime) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(job::Column::State.eq(JobState::Queued.as_str()))
                .add(job::Column::RunAfter.lte(now)),
        )
        .add(
            Condition::all()
                .add(job::Column::State.eq(JobState::Running.as_str()))
                .add(job::Column::LockedUntil.lt(now)),
        )
}

/// Takes the oldest claimable job for `worker` until `now + lease`. Run inside a write
/// transaction: on PostgreSQL the candidate row is locked and others skip it; on SQLite the
/// write lock already serialises claims.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
) -> Result<Option<Job>, RepoError> {
    let mut q = job::Entity::find()
        .select_only()
        .column(job::Column::Id)
        .filter(claimable(now))
        .order_by_asc(job::Column::Id)
        .limit(1);
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
    }
    let Some(id) = q.into_tuple::<i64>().one(conn).await? else {
        return Ok(None);
    };
    let taken = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Running.as_str()))
        .col_expr(job::Column::LockedBy, Expr::value(worker))
        .col_expr(job::Column::LockedUntil, Expr::value(now + lease))
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).add(1),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(claimable(now))
        .exec(conn)
        .await?;
    if taken.rows_affected == 0 {
        return Ok(None);
    }
    find(conn, id).await
}

/// Records progress and extends the lease; false if the job is no longer this worker's.
pub async fn heartbeat<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    worker: &str,
    progress: i32,
    now: NaiveDateTime,
    lease: Duration,
) -> Result<bool, RepoError> {
    let r = job::Entity::update_many()
        .col_expr(job::Column::Progress, Expr::value(progress.clamp(0, 100)))
        .col_expr(job::Column::LockedUntil, Expr::value(now + lease))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LockedBy.eq(worker))
        .filter(job::Column::State.eq(JobState::Running.as_str()))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Marks the job done with its result; false if another worker has taken it meanwhile.
pub async fn complete<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    worker: &str,
    result: String,
    now: NaiveDateTime,
) -> Result<bool, RepoError> {
    let r = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Done.as_str()))
        .col_expr(job::Column::Result, Expr::value(result))
        .col_expr(job::Column::Progress, Expr::value(100))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<NaiveDateTime>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Records a failure: the job is retried after a back-off, or is dead after its last attempt.
pub async fn fail<C: ConnectionTrait>(
    conn: &C,
    job: &Job,
    worker: &str,
    error: &str,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    let dead = job.attempts >= job.max_attempts;
    let state = if dead {
        JobState::Dead
    } else {
        JobState::Queued
    };
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(state.as_str()))
        .col_expr(
            job::Column::LastError,
            Expr::value(error.chars().take(2000).collect::<String>()),
        )
        .col_expr(
            job::Column::RunAfter,
            Expr::value(now + Duration::seconds(backoff_secs(job.attempts))),
        )
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<NaiveDateTime>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Job>, RepoError> {
    job::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// The newest jobs, optionally in one state.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    state: Option<JobState>,
    limit: u64,
) -> Result<Vec<Job>, RepoError> {
    let mut q = job::Entity::find()
        .order_by_desc(job::Column::Id)
        .limit(limit);
    if let Some(s) = state {
        q = q.filter(job::Column::State.eq(s.as_str()));
    }
    q.all(conn).await?.into_iter().map(to_domain).collect()
}

/// Puts a dead job back in the queue with fresh attempts; false if it was not dead.
pub async fn retry<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: NaiveDateTime,
) -> Result<bool, RepoError> {
    let r = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Queued.as_str()))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAfter, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(JobState::Dead.as_str()))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Jobs waiting to run (for monitoring).
pub async fn queued<C: ConnectionTrait>(conn: &C) -> Result<u64, RepoError> {
    Ok(job::Entity::find()
        .filter(job::Column::State.eq(JobState::Queued.as_str()))
        .count(conn)
        .await?)
}

/// Whether a job of `kind` is in one of `states` (so a recurring job is not queued twice).
pub async fn any_in<C: ConnectionTrait>(
    conn: &C,
    kind: JobKind,
    states: &[JobState],
) -> Result<bool, RepoError> {
    Ok(job::Entity::find()
        .filter(job::Column::Kind.eq(kind.as_str()))
        .filter(job::Column::State.is_in(states.iter().map(|s| s.as_str())))
        .limit(1)
        .count(conn)
        .await?
        > 0)
}

/// Up to `limit` jobs done before `before`, oldest first: what housekeeping removes. A done
/// job ran after its `run_after`, so the index on (state, run_after) finds them without reading
/// every done job.
pub async fn done_before<C: ConnectionTrait>(
    conn: &C,
    before: NaiveDateTime,
    limit: u64,
) -> Result<Vec<Job>, RepoError> {
    job::Entity::find()
        .filter(job::Column::State.eq(JobState::Done.as_str()))
        .filter(job::Column::RunAfter.lt(before))
        .filter(job::Column::UpdatedAt.lt(before))
        .order_by_asc(job::Column::RunAfter)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Removes the jobs `ids` that are done; how many went.
pub async fn remove_done<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<u64, RepoError> {
    let r = job::Entity::delete_many()
        .filter(job::Column::Id.is_in(ids.iter().copied()))
        .filter(job::Column::State.eq(JobState::Done.as_str()))
        .exec(conn)
        .await?;
    Ok(r.rows_affected)
}

/// Whether a worker still holds job `id`: running, its lease not lapsed (a worker that died
/// holds nothing once its lease runs out).
pub async fn held<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: NaiveDateTime,
) -> Result<bool, RepoError> {
    Ok(job::Entity::find_by_id(id)
        .filter(job::Column::State.eq(JobState::Running.as_str()))
        .filter(job::Column::LockedUntil.gt(now))
        .one(conn)
        .await?
        .is_some())
}
