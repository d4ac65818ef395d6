//! Fair assignment: `/assignment-rules/…` (staff read, admins change), agents' absences at
//! `/users/{id}/absences` (themselves, or an admin), and `POST /tickets/next`.

use fixdesk_usecases::domain::{UserId, assignment::RuleId};
use poem::web::Data;
use poem_openapi::{ApiResponse, OpenApi, param::Path, payload::Json};

use super::{Tag, json_list};
use crate::{
    Service,
    dto::{
        assignment::{AbsenceIn, AbsenceOut, RuleIn, RuleOut},
        tickets::TicketOut,
    },
    error::ApiResult,
    extract::{AdminOnly, Client, JsonBody, StaffOnly, path_id},
    written::Written,
};

#[derive(Debug)]
pub struct AssignmentApi;

#[derive(Debug, ApiResponse)]
enum CreatedRule {
    #[oai(status = 201)]
    Rule(Json<RuleOut>),
}

#[derive(Debug, ApiResponse)]
enum CreatedAbsence {
    #[oai(status = 201)]
    Absence(Json<AbsenceOut>),
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(tag = "Tag::Assignment")]
impl AssignmentApi {
    /// Assignment rules in id order (staff).
    #[oai(path = "/assignment-rules/", method = "get")]
    async fn rules(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
    ) -> ApiResult<Json<Vec<RuleOut>>> {
        Ok(json_list(service.assignment().rules(&auth.0).await?))
    }

    /// Create a category's rule (admin; one per category).
    #[oai(path = "/assignment-rules/", method = "post")]
    async fn create_rule(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        body: JsonBody<RuleIn>,
    ) -> ApiResult<CreatedRule> {
        let draft = body.parse()?.into_domain()?;
        let rule = service
            .assignment()
            .create_rule(&auth.0, draft, &client.0)
            .await?;
        Ok(CreatedRule::Rule(Json(rule.into())))
    }

    /// Replace a rule (admin).
    #[oai(path = "/assignment-rules/:rule_id", method = "put")]
    async fn update_rule(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        rule_id: Path<String>,
        body: JsonBody<RuleIn>,
    ) -> ApiResult<Json<RuleOut>> {
        let id = RuleId(path_id("rule_id", &rule_id.0)?);
        let draft = body.parse()?.into_domain()?;
        let rule = service
            .assignment()
            .update_rule(&auth.0, id, draft, &client.0)
            .await?;
        Ok(Json(rule.into()))
    }

    /// Delete a rule (admin).
    #[oai(path = "/assignment-rules/:rule_id", method = "delete")]
    async fn delete_rule(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        rule_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = RuleId(path_id("rule_id", &rule_id.0)?);
        service
            .assignment()
            .delete_rule(&auth.0, id, &client.0)
            .await?;
        Ok(Deleted::NoContent)
    }

    /// A staff member's absences that have not ended (themself, or an admin).
    #[oai(path = "/users/:user_id/absences", method = "get")]
    async fn absences(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        user_id: Path<String>,
    ) -> ApiResult<Json<Vec<AbsenceOut>>> {
        let user = UserId(path_id("user_id", &user_id.0)?);
        Ok(json_list(
            service.assignment().absences(&auth.0, user).await?,
        ))
    }

    /// Record an absence: no tickets by rule on those days.
    #[oai(path = "/users/:user_id/absences", method = "post")]
    async fn add_absence(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        user_id: Path<String>,
        body: JsonBody<AbsenceIn>,
    ) -> ApiResult<CreatedAbsence> {
        let user = UserId(path_id("user_id", &user_id.0)?);
        let new = body.parse()?.into_domain()?;
        let absence = service
            .assignment()
            .add_absence(&auth.0, user, new, &client.0)
            .await?;
        Ok(CreatedAbsence::Absence(Json(absence.into())))
    }

    #[oai(path = "/users/:user_id/absences/:absence_id", method = "delete")]
    async fn remove_absence(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        user_id: Path<String>,
        absence_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let user = UserId(path_id("user_id", &user_id.0)?);
        let id = path_id("absence_id", &absence_id.0)?;
        service
            .assignment()
            .remove_absence(&auth.0, user, id, &client.0)
            .await?;
        Ok(Deleted::NoContent)
    }

    /// Take the next ticket of the queue (staff): new and unassigned, the soonest due first.
    /// 404 when the queue is empty.
    #[oai(path = "/tickets/next", method = "post")]
    async fn next_ticket(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
    ) -> ApiResult<Written<TicketOut>> {
        let t = service.assignment().next_ticket(&auth.0, &client.0).await?;
        super::tickets::shown(t)
    }
}
