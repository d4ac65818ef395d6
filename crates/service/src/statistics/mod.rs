//! The dashboard's figures, from the counters.

pub(crate) mod exports;

pub use exports::Exports;

use std::sync::Arc;

use chrono::Duration;
use fixdesk_domain::sla::statistics::{self as sla_statistics, ServiceLevelStats};
use fixdesk_domain::{
    Actor, AgentPerformance, DomainError, Job, JobKind, PeriodStats, Priority, Role, StatsPeriod,
    TicketStatus, TicketSummary, UserActivity, UserId,
    statistics::{average_hours, rate},
};
use fixdesk_repository::{categories, jobs, statistics, users};
use fixdesk_usecases::{ServiceError, StatisticsUseCases, async_trait};

use crate::{clock, context::Context};

#[derive(Debug, Clone)]
pub struct Statistics {
    ctx: Arc<Context>,
}

impl Statistics {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

/// The first day of a window of `days` calendar days ending `today` (UTC).
fn window_start(today: chrono::NaiveDate, days: u32) -> chrono::NaiveDate {
    today - Duration::days(i64::from(days.max(1)) - 1)
}

#[async_trait]
impl StatisticsUseCases for Statistics {
    async fn service_levels(
        &self,
        actor: &Actor,
        days: u32,
    ) -> Result<ServiceLevelStats, ServiceError> {
        actor.require_admin()?;
        let conn = self.ctx.db.reader();
        let since = window_start(self.ctx.clock.now().date(), days);
        let levels = statistics::service_levels_since(conn, since).await?;
        let times = statistics::service_times_since(conn, since).await?;
        let mut out = sla_statistics::assemble(days, &levels, &times);
        let people = users::display_names(
            conn,
            out.by_agent.iter().filter_map(sla_statistics::agent_of),
        )
        .await?;
        for g in &mut out.by_agent {
            g.name = sla_statistics::agent_of(g).and_then(|u| people.get(&u).cloned());
        }
        let names: std::collections::HashMap<i64, String> = categories::list(
            conn,
            true,
            fixdesk_domain::Page::new(0, fixdesk_domain::Page::MAX_LIMIT as i64),
        )
        .await?
        .into_iter()
        .map(|c| (c.id.0, c.name))
        .collect();
        for g in &mut out.by_category {
            g.name = g.id.and_then(|c| names.get(&c).cloned());
        }
        Ok(out)
    }

    async fn summary(&self, actor: &Actor) -> Result<TicketSummary, ServiceError> {
        actor.require_admin()?;
        let rows = statistics::by_status_and_priority(self.ctx.db.reader()).await?;
        let by_status = TicketStatus::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    rows.iter().filter(|r| r.0 == s.rank()).map(|r| r.2).sum(),
                )
            })
            .collect::<Vec<_>>();
        let by_priority = Priority::ALL
            .iter()
            .map(|p| {
                (
                    *p,
                    rows.iter().filter(|r| r.1 == p.rank()).map(|r| r.2).sum(),
                )
            })
            .collect::<Vec<_>>();
        let closed = TicketStatus::Closed.rank();
        let (closed_n, seconds) = rows
            .iter()
            .filter(|r| r.0 == closed)
            .fold((0, 0), |(n, s), r| (n + r.2, s + r.3));
        Ok(TicketSummary {
            total: rows.iter().map(|r| r.2).sum(),
            by_status,
            by_priority,
            avg_resolution_hours: average_hours(seconds, closed_n),
        })
    }

    async fn agent_performance(
        &self,
        actor: &Actor,
        days: u32,
    ) -> Result<Vec<AgentPerformance>, ServiceError> {
        actor.require_admin()?;
        let conn = self.ctx.db.reader();
        let figures =
            statistics::agents_since(conn, window_start(self.ctx.clock.now().date(), days)).await?;
        let people = users::all(conn).await?;
        let rows = people
            .into_iter()
            .filter_map(|u| {
                let f = figures.iter().find(|f| f.0 == u.id.0);
                let listed =
                    u.role == Role::Agent || (u.role == Role::Admin && f.is_some_and(|f| f.1 > 0));
                listed.then(|| {
                    let (assigned, resolved, seconds) = f.map_or((0, 0, 0), |f| (f.1, f.2, f.3));
                    AgentPerformance {
                        agent_id: u.id,
                        agent_name: u.full_name,
                        assigned,
                        resolved,
                        resolution_rate: rate(resolved, assigned),
                        avg_resolution_hours: average_hours(seconds, resolved),
                    }
                })
            })
            .collect();
        Ok(rows)
    }

    async fn by_period(
        &self,
        actor: &Actor,
        period: StatsPeriod,
    ) -> Result<PeriodStats, ServiceError> {
        actor.require_admin()?;
        let [created, created_resolved, resolved, in_progress] = statistics::days_since(
            self.ctx.db.reader(),
            window_start(self.ctx.clock.now().date(), period.days()),
        )
        .await?;
        Ok(PeriodStats {
            period,
            new_tickets: created,
            resolved_tickets: resolved,
            in_progress_tickets: in_progress,
            resolution_rate: rate(created_resolved, created),
        })
    }

    async fn user_activity(
        &self,
        actor: &Actor,
        top: u64,
    ) -> Result<Vec<UserActivity>, ServiceError> {
        actor.require_admin()?;
        let conn = self.ctx.db.reader();
        let leaders = statistics::top_creators(conn, top).await?;
        let people = users::with_ids(conn, leaders.iter().map(|l| UserId(l.0))).await?;
        Ok(leaders
            .into_iter()
            .filter_map(|(id, count)| {
                people.iter().find(|u| u.id.0 == id).map(|u| UserActivity {
                    user_id: u.id,
                    username: u.username.clone(),
                    full_name: u.full_name.clone(),
                    ticket_count: count,
                })
            })
            .collect())
    }

    async fn rebuild(&self, actor: &Actor) -> Result<Job, ServiceError> {
        actor.require_admin()?;
        let uow = self.ctx.db.begin_write().await?;
        let job = jobs::enqueue(
            uow.conn(),
            JobKind::StatsRebuild,
            String::new(),
            Some(actor.id),
            clock::wall(),
        )
        .await?;
        uow.commit().await?;
        Ok(job)
    }

    async fn rebuild_status(&self, actor: &Actor, id: i64) -> Result<Job, ServiceError> {
        actor.require_admin()?;
        jobs::find(self.ctx.db.reader(), id)
            .await?
            .filter(|j| j.kind == JobKind::StatsRebuild.as_str())
            .ok_or_else(|| DomainError::JobNotFound.into())
    }
}

/// The statistics-rebuild job: replaces every counter with a recount of the tickets, with the
/// tickets locked so that no write slips in between.
pub(crate) async fn rebuild(ctx: &Context) -> Result<String, ServiceError> {
    let uow = ctx.db.begin_write().await?;
    statistics::lock_tickets(uow.conn()).await?;
    let counters = statistics::recompute(uow.conn()).await?;
    statistics::replace(uow.conn(), &counters).await?;
    uow.commit().await?;
    Ok(serde_json::json!({"counters": counters.len()}).to_string())
}
