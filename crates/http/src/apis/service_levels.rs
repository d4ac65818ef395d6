//! `/sla/…`: business calendars and service-level policies (staff read, admins change), and a
//! check of the clocks on demand.

use fixdesk_usecases::domain::sla::{CalendarId, PolicyId};
use poem::web::Data;
use poem_openapi::{ApiResponse, OpenApi, param::Path, payload::Json};

use super::{Tag, exports::ExportOut, json_list};
use crate::{
    Service,
    dto::service_levels::{CalendarIn, CalendarOut, PolicyIn, PolicyOut},
    error::ApiResult,
    extract::{AdminOnly, Client, JsonBody, StaffOnly, path_id},
};

#[derive(Debug)]
pub struct ServiceLevelsApi;

#[derive(Debug, ApiResponse)]
enum CreatedCalendar {
    #[oai(status = 201)]
    Calendar(Json<CalendarOut>),
}

#[derive(Debug, ApiResponse)]
enum CreatedPolicy {
    #[oai(status = 201)]
    Policy(Json<PolicyOut>),
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

#[OpenApi(tag = "Tag::ServiceLevels")]
impl ServiceLevelsApi {
    /// Business calendars in id order (staff).
    #[oai(path = "/sla/calendars/", method = "get")]
    async fn calendars(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
    ) -> ApiResult<Json<Vec<CalendarOut>>> {
        Ok(json_list(
            service.service_levels().calendars(&auth.0).await?,
        ))
    }

    /// Create a business calendar (admin).
    #[oai(path = "/sla/calendars/", method = "post")]
    async fn create_calendar(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        body: JsonBody<CalendarIn>,
    ) -> ApiResult<CreatedCalendar> {
        let draft = body.parse()?.into_domain()?;
        let c = service
            .service_levels()
            .create_calendar(&auth.0, draft, &client.0)
            .await?;
        Ok(CreatedCalendar::Calendar(Json(c.into())))
    }

    /// Replace a business calendar (admin).
    #[oai(path = "/sla/calendars/:calendar_id", method = "put")]
    async fn update_calendar(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        calendar_id: Path<String>,
        body: JsonBody<CalendarIn>,
    ) -> ApiResult<Json<CalendarOut>> {
        let id = CalendarId(path_id("calendar_id", &calendar_id.0)?);
        let draft = body.parse()?.into_domain()?;
        let c = service
            .service_levels()
            .update_calendar(&auth.0, id, draft, &client.0)
            .await?;
        Ok(Json(c.into()))
    }

    /// Delete a calendar no policy uses (admin).
    #[oai(path = "/sla/calendars/:calendar_id", method = "delete")]
    async fn delete_calendar(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        calendar_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = CalendarId(path_id("calendar_id", &calendar_id.0)?);
        service
            .service_levels()
            .delete_calendar(&auth.0, id, &client.0)
            .await?;
        Ok(Deleted::NoContent)
    }

    /// Service-level policies in id order (staff).
    #[oai(path = "/sla/policies/", method = "get")]
    async fn policies(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
    ) -> ApiResult<Json<Vec<PolicyOut>>> {
        Ok(json_list(service.service_levels().policies(&auth.0).await?))
    }

    /// Create a policy (admin). New tickets it matches run under it.
    #[oai(path = "/sla/policies/", method = "post")]
    async fn create_policy(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        body: JsonBody<PolicyIn>,
    ) -> ApiResult<CreatedPolicy> {
        let draft = body.parse()?.into_domain()?;
        let p = service
            .service_levels()
            .create_policy(&auth.0, draft, &client.0)
            .await?;
        Ok(CreatedPolicy::Policy(Json(p.into())))
    }

    /// Replace a policy (admin).
    #[oai(path = "/sla/policies/:policy_id", method = "put")]
    async fn update_policy(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        policy_id: Path<String>,
        body: JsonBody<PolicyIn>,
    ) -> ApiResult<Json<PolicyOut>> {
        let id = PolicyId(path_id("policy_id", &policy_id.0)?);
        let draft = body.parse()?.into_domain()?;
        let p = service
            .service_levels()
            .update_policy(&auth.0, id, draft, &client.0)
            .await?;
        Ok(Json(p.into()))
    }

    /// Delete a policy (admin).
    #[oai(path = "/sla/policies/:policy_id", method = "delete")]
    async fn delete_policy(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        policy_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = PolicyId(path_id("policy_id", &policy_id.0)?);
        service
            .service_levels()
            .delete_policy(&auth.0, id, &client.0)
            .await?;
        Ok(Deleted::NoContent)
    }

    /// Look at every clock that is due now: warn, escalate (admin; fixdesk also does this on
    /// its own every half minute).
    #[oai(path = "/sla/check", method = "post")]
    async fn check(&self, service: Data<&Service>, auth: AdminOnly) -> ApiResult<Accepted> {
        let job = service.service_levels().check_now(&auth.0).await?;
        Ok(Accepted::Job(Json(job.into())))
    }
}
