use fixdesk_usecases::domain::{FieldError, StatsPeriod};
use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    Tag,
    exports::{Accepted, ExportOut},
    json_list,
};
use crate::{
    Service,
    dto::{
        params::{located, query_value},
        statistics::{
            AgentPerformanceOut, PeriodOut, ServiceLevelStatsOut, TicketSummaryOut, UserActivityOut,
        },
    },
    error::ApiResult,
    extract::{AdminOnly, path_id},
    written::Written,
};

#[derive(Debug)]
pub struct StatisticsApi;

/// An integer query value within `min..=max`.
fn bounded(
    name: &'static str,
    raw: Option<i64>,
    default: i64,
    min: i64,
    max: i64,
) -> ApiResult<i64> {
    let v = raw.unwrap_or(default);
    if (min..=max).contains(&v) {
        return Ok(v);
    }
    let e = FieldError::new(
        name,
        "range",
        format!("Input should be between {min} and {max}"),
    );
    Err(located("query", name, e, &v.to_string()))
}

#[OpenApi(tag = "Tag::Statistics")]
impl StatisticsApi {
    /// Recount every statistic from the tickets themselves, in the background (after a
    /// restore or a manual repair). Readers keep seeing the old figures until the new ones
    /// replace them in one transaction.
    #[oai(path = "/statistics/rebuild", method = "post")]
    async fn rebuild(&self, service: Data<&Service>, auth: AdminOnly) -> ApiResult<Accepted> {
        let job = service.statistics().rebuild(&auth.0).await?;
        Ok(Accepted::Job(Json(job.into())))
    }

    /// A rebuild's state.
    #[oai(path = "/statistics/rebuild/:job_id", method = "get")]
    async fn rebuild_status(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        job_id: Path<String>,
    ) -> ApiResult<Json<ExportOut>> {
        let id = path_id("job_id", &job_id.0)?;
        let job = service.statistics().rebuild_status(&auth.0, id).await?;
        Ok(Json(job.into()))
    }

    /// Tickets in all, per status and per priority, and the average resolution time.
    #[oai(path = "/statistics/tickets-summary", method = "get")]
    async fn summary(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
    ) -> ApiResult<Written<TicketSummaryOut>> {
        Ok(Written(service.statistics().summary(&auth.0).await?.into()))
    }

    /// Per agent, over the tickets filed in the last `days` days (1–3650, default 30).
    #[oai(path = "/statistics/agent-performance", method = "get")]
    async fn agents(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        days: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<AgentPerformanceOut>>> {
        let days = bounded("days", days.0, 30, 1, 3650)?;
        let rows = service
            .statistics()
            .agent_performance(&auth.0, u32::try_from(days).unwrap_or(30))
            .await?;
        Ok(json_list(rows))
    }

    /// Service-level compliance over the clocks stopped in the last `days` days (1–3650,
    /// default 30): first response and resolution met, overall, per agent (the ticket's holder)
    /// and per category, with the median and 90th-percentile times.
    #[oai(path = "/statistics/service-levels", method = "get")]
    async fn service_levels(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        days: Query<Option<i64>>,
    ) -> ApiResult<Json<ServiceLevelStatsOut>> {
        let days = bounded("days", days.0, 30, 1, 3650)?;
        let stats = service
            .statistics()
            .service_levels(&auth.0, u32::try_from(days).unwrap_or(30))
            .await?;
        Ok(Json(stats.into()))
    }

    /// Tickets filed, resolved and taken into work over the last day, week, month (default)
    /// or year.
    #[oai(path = "/statistics/tickets-by-period", method = "get")]
    async fn by_period(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        period: Query<Option<String>>,
    ) -> ApiResult<Json<PeriodOut>> {
        let period = query_value("period", period.0, str::parse::<StatsPeriod>)?
            .unwrap_or(StatsPeriod::Month);
        Ok(Json(
            service
                .statistics()
                .by_period(&auth.0, period)
                .await?
                .into(),
        ))
    }

    /// The users who filed the most tickets (`top` 1–100, default 10).
    #[oai(path = "/statistics/user-activity", method = "get")]
    async fn users(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        top: Query<Option<i64>>,
    ) -> ApiResult<Json<UserActivityOut>> {
        let top = bounded("top", top.0, 10, 1, 100)?;
        Ok(Json(
            service
                .statistics()
                .user_activity(&auth.0, u64::try_from(top).unwrap_or(10))
                .await?
                .into(),
        ))
    }
}
