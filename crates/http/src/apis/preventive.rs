//! `/maintenance-schedules/…`: preventive maintenance (staff read, admins change), and the
//! items due for service.

use fixdesk_usecases::domain::{preventive::ScheduleId, reliability::GroupBy};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{Tag, exports::ExportOut, json_list};
use crate::{
    Service,
    dto::{
        params::query_value,
        preventive::{ReliabilityOut, ScheduleIn, ScheduleOut, ServiceDueOut},
    },
    error::ApiResult,
    extract::{AdminOnly, Client, JsonBody, StaffOnly, path_id},
};

#[derive(Debug)]
pub struct PreventiveApi;

#[derive(Debug, ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Schedule(Json<ScheduleOut>),
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

#[derive(Debug, ApiResponse)]
enum Accepted {
    /// Queued; follow the job at `/jobs/{id}`.
    #[oai(status = 202)]
    Job(Json<ExportOut>),
}

#[OpenApi(tag = "Tag::Maintenance")]
impl PreventiveApi {
    /// Every schedule (staff).
    #[oai(path = "/maintenance-schedules/", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
    ) -> ApiResult<Json<Vec<ScheduleOut>>> {
        Ok(json_list(service.preventive().schedules(&auth.0).await?))
    }

    /// Create a schedule (admin); a due date whose lead time has begun gets its ticket at once.
    #[oai(path = "/maintenance-schedules/", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        body: JsonBody<ScheduleIn>,
    ) -> ApiResult<Created> {
        let draft = body.parse()?.into_domain()?;
        let s = service
            .preventive()
            .create(&auth.0, draft, &client.0)
            .await?;
        Ok(Created::Schedule(Json(s.into())))
    }

    /// Replace a schedule (admin).
    #[oai(path = "/maintenance-schedules/:schedule_id", method = "put")]
    async fn update(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        schedule_id: Path<String>,
        body: JsonBody<ScheduleIn>,
    ) -> ApiResult<Json<ScheduleOut>> {
        let id = ScheduleId(path_id("schedule_id", &schedule_id.0)?);
        let draft = body.parse()?.into_domain()?;
        let s = service
            .preventive()
            .update(&auth.0, id, draft, &client.0)
            .await?;
        Ok(Json(s.into()))
    }

    /// Delete a schedule (admin); tickets it opened stay.
    #[oai(path = "/maintenance-schedules/:schedule_id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        schedule_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = ScheduleId(path_id("schedule_id", &schedule_id.0)?);
        service.preventive().delete(&auth.0, id, &client.0).await?;
        Ok(Deleted::NoContent)
    }

    /// Open the tickets whose time has come now (admin; fixdesk also does this every five
    /// minutes).
    #[oai(path = "/maintenance-schedules/run", method = "post")]
    async fn run(&self, service: Data<&Service>, auth: AdminOnly) -> ApiResult<Accepted> {
        let job = service.preventive().sweep(&auth.0).await?;
        Ok(Accepted::Job(Json(job.into())))
    }

    /// Reliability over the last `days` days (default 90): failures, MTBF, MTTR, downtime and
    /// maintenance cost per `by` (`item`, `model`, `category`, `location`), the most failing
    /// first; `limit` keeps the first rows (staff).
    #[oai(path = "/equipment/reliability", method = "get")]
    async fn reliability(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        by: Query<Option<String>>,
        days: Query<Option<u32>>,
        limit: Query<Option<u32>>,
    ) -> ApiResult<Json<Vec<ReliabilityOut>>> {
        let by = query_value("by", by.0, GroupBy::parse)?.unwrap_or_default();
        let mut rows = service
            .equipment()
            .reliability(&auth.0, by, days.0.unwrap_or(90))
            .await?;
        rows.truncate(limit.0.map_or(usize::MAX, |l| l as usize));
        Ok(json_list(rows))
    }

    /// Items due for service within `days` (default 30; 0–3660), soonest first (staff).
    #[oai(path = "/equipment/due-for-service", method = "get")]
    async fn due(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        days: Query<Option<u32>>,
    ) -> ApiResult<Json<Vec<ServiceDueOut>>> {
        let days = days.0.unwrap_or(30).min(3660);
        Ok(json_list(service.preventive().due(&auth.0, days).await?))
    }
}
