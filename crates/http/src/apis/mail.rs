//! `/mail/inbound`: mail handed over by the mail host (an MTA's pipe running `curl`, for a
//! desk whose mail host is another machine), and what became of each message (admins).

use fixdesk_usecases::domain::{Page, mail::MAX_MESSAGE_BYTES};
use poem::{Body, web::Data};
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::{Binary, Json},
};

use super::{Tag, json_list};
use crate::{
    Service,
    dto::mail::{DeliveryOut, InboundMailOut, KeptMailOut},
    error::{ApiError, ApiResult},
    extract::{AdminOnly, path_id},
};

#[derive(Debug)]
pub struct MailApi;

#[derive(Debug, ApiResponse)]
enum RawMessage {
    /// The message as it arrived.
    #[oai(status = 200, content_type = "message/rfc822")]
    Message(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[OpenApi(tag = "Tag::Mail")]
impl MailApi {
    /// Deliver one raw RFC 5322 message (the request body, up to 32 MiB): a ticket from its
    /// sender, a message on the ticket it answers (`[#123]` in the subject, `In-Reply-To`),
    /// or why not. The same gateway as `fixdesk-migrate mailgate`; delivering a message twice
    /// does nothing the second time.
    #[oai(path = "/mail/inbound", method = "post")]
    async fn deliver(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        body: Binary<Body>,
    ) -> ApiResult<Json<DeliveryOut>> {
        let raw = body
            .0
            .into_bytes_limit(MAX_MESSAGE_BYTES)
            .await
            .map_err(|e| ApiError::Request(e.into()))?;
        let outcome = service.mail().deliver(&auth.0, &raw).await?;
        Ok(Json(outcome.into()))
    }

    /// The newest delivered messages, optionally with one `outcome` (`kept` lists what an
    /// admin should look at).
    #[oai(path = "/mail/inbound", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        outcome: Query<Option<String>>,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<InboundMailOut>>> {
        let page = Page::new(skip.0.unwrap_or(0), limit.0.unwrap_or(100));
        let outcome = outcome.0.filter(|o| !o.trim().is_empty());
        Ok(json_list(
            service.mail().list(&auth.0, outcome, page).await?,
        ))
    }

    /// A kept message, whole, to read or to deliver again by hand.
    #[oai(path = "/mail/inbound/:mail_id/raw", method = "get")]
    async fn raw(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        mail_id: Path<String>,
    ) -> ApiResult<RawMessage> {
        let id = path_id("mail_id", &mail_id.0)?;
        let raw = service.mail().raw(&auth.0, id).await?;
        Ok(RawMessage::Message(
            Binary(raw),
            format!("attachment; filename=\"mail-{id}.eml\""),
        ))
    }

    /// A kept message as a person reads it: its record, main headers, text and file names.
    #[oai(path = "/mail/inbound/:mail_id", method = "get")]
    async fn read(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        mail_id: Path<String>,
    ) -> ApiResult<Json<KeptMailOut>> {
        let id = path_id("mail_id", &mail_id.0)?;
        Ok(Json(service.mail().read(&auth.0, id).await?.into()))
    }

    /// Handle a kept message anew, vouching for its sender (say, a colleague's mail kept for
    /// want of proof, after checking with them); answers the new outcome.
    #[oai(path = "/mail/inbound/:mail_id/redeliver", method = "post")]
    async fn redeliver(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        mail_id: Path<String>,
    ) -> ApiResult<Json<DeliveryOut>> {
        let id = path_id("mail_id", &mail_id.0)?;
        Ok(Json(service.mail().redeliver(&auth.0, id).await?.into()))
    }

    /// Drop a kept message without delivering it; it stays listed as `discarded`.
    #[oai(path = "/mail/inbound/:mail_id/discard", method = "post")]
    async fn discard(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        mail_id: Path<String>,
    ) -> ApiResult<Json<InboundMailOut>> {
        let id = path_id("mail_id", &mail_id.0)?;
        Ok(Json(service.mail().discard(&auth.0, id).await?.into()))
    }
}
