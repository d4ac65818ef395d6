//! `/canned-replies/…`: texts staff insert into replies.

use fixdesk_usecases::domain::TicketId;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{Tag, json_list};
use crate::{
    Service,
    dto::canned::{CannedIn, CannedOut},
    error::ApiResult,
    extract::{Client, JsonBody, StaffOnly, path_id},
};

#[derive(Debug)]
pub struct CannedRepliesApi;

#[derive(Debug, ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Reply(Json<CannedOut>),
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(tag = "Tag::CannedReplies")]
impl CannedRepliesApi {
    /// The shared replies and the caller's own; with `ticket_id`, each filled in for it.
    #[oai(path = "/canned-replies/", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        ticket_id: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<CannedOut>>> {
        let ticket = ticket_id.0.map(TicketId);
        Ok(json_list(
            service.canned_replies().list(&auth.0, ticket).await?,
        ))
    }

    /// Write a reply: one's own, or (admins) a shared one.
    #[oai(path = "/canned-replies/", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        body: JsonBody<CannedIn>,
    ) -> ApiResult<Created> {
        let draft = body.parse()?.into_domain()?;
        let r = service
            .canned_replies()
            .create(&auth.0, draft, &client.0)
            .await?;
        Ok(Created::Reply(Json((r, None).into())))
    }

    #[oai(path = "/canned-replies/:reply_id", method = "put")]
    async fn update(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        reply_id: Path<String>,
        body: JsonBody<CannedIn>,
    ) -> ApiResult<Json<CannedOut>> {
        let id = path_id("reply_id", &reply_id.0)?;
        let draft = body.parse()?.into_domain()?;
        let r = service
            .canned_replies()
            .update(&auth.0, id, draft, &client.0)
            .await?;
        Ok(Json((r, None).into()))
    }

    #[oai(path = "/canned-replies/:reply_id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        reply_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = path_id("reply_id", &reply_id.0)?;
        service
            .canned_replies()
            .delete(&auth.0, id, &client.0)
            .await?;
        Ok(Deleted::NoContent)
    }
}
