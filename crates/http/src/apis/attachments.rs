//! Attachments: `POST /attachments/upload/{ticket_id}` (multipart `file`, optional
//! `description`), `GET /attachments/{ticket_id}`, `DELETE /attachments/{attachment_id}`.
//! Downloads are served by [`download`], outside the OpenAPI description, so that the file goes
//! out with its own content type.

use fixdesk_edge::content_disposition;
use fixdesk_usecases::{ByteStream, domain::TicketId};
use futures::{StreamExt, TryStreamExt};
use poem::{
    Body, IntoResponse, Response, handler,
    http::{StatusCode, header},
    web::{Data, Multipart, Path as PoemPath},
};
use poem_openapi::{ApiResponse, OpenApi, param::Path, payload::Json};

use super::{Tag, json_list};
use crate::{
    Service,
    dto::attachments::AttachmentOut,
    error::{ApiError, ApiResult},
    extract::{Authed, Client, LiveAuth, path_id},
};

#[derive(Debug)]
pub struct AttachmentsApi;

#[derive(Debug, ApiResponse)]
enum Uploaded {
    #[oai(status = 201)]
    Attachment(Json<AttachmentOut>),
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(tag = "Tag::Attachments")]
impl AttachmentsApi {
    /// Attach a file to a ticket (multipart: `file`, optional `description`). Allowed:
    /// jpg, jpeg, png, gif, heic, heif, webp, pdf, doc, docx, xls, xlsx, txt, zip, rar, up to 10 MiB; the content
    /// must match the extension.
    #[oai(path = "/attachments/upload/:ticket_id", method = "post")]
    async fn upload(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
        mut form: Multipart,
    ) -> ApiResult<Uploaded> {
        let ticket = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let mut description: Option<String> = None;
        let mut uploaded = None;
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|e| ApiError::Request(e.into()))?
        {
            match field.name() {
                Some("description") => {
                    let text = field
                        .text()
                        .await
                        .map_err(|e| ApiError::Request(e.into()))?;
                    description = Some(text);
                    // A description after the file still belongs to it.
                    if let Some(a) = &uploaded {
                        let a: &fixdesk_usecases::domain::Attachment = a;
                        uploaded = Some(
                            service
                                .attachments()
                                .describe(&auth.0, a.id, description.clone())
                                .await
                                .map_err(ApiError::from)?,
                        );
                    }
                }
                Some("file") if uploaded.is_none() => {
                    let filename = field.file_name().unwrap_or_default().to_string();
                    let body: ByteStream =
                        tokio_util::io::ReaderStream::new(field.into_async_read())
                            .map_ok(|b| b.to_vec())
                            .boxed();
                    uploaded = Some(
                        service
                            .attachments()
                            .upload(
                                &auth.0,
                                ticket,
                                &filename,
                                description.clone(),
                                body,
                                &client.0,
                            )
                            .await
                            .map_err(ApiError::from)?,
                    );
                }
                _ => {}
            }
        }
        let attachment = uploaded
            .ok_or_else(|| ApiError::from(fixdesk_usecases::domain::DomainError::FileMissing))?;
        Ok(Uploaded::Attachment(Json(attachment.into())))
    }

    /// A ticket's attachments, oldest first.
    #[oai(path = "/attachments/:id", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: Authed,
        id: Path<String>,
    ) -> ApiResult<Json<Vec<AttachmentOut>>> {
        let ticket = TicketId(path_id("ticket_id", &id.0)?);
        Ok(json_list(
            service.attachments().list(&auth.0, ticket).await?,
        ))
    }

    /// Remove an attachment (its uploader or an admin).
    #[oai(path = "/attachments/:id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = path_id("attachment_id", &id.0)?;
        service.attachments().delete(&auth.0, id, &client.0).await?;
        Ok(Deleted::NoContent)
    }
}

/// `GET /api/v1/attachments/download/{attachment_id}`: the file, as an attachment.
#[handler]
pub async fn download(
    auth: LiveAuth,
    service: Data<&Service>,
    PoemPath(raw): PoemPath<String>,
) -> poem::Result<Response> {
    let id = path_id("attachment_id", &raw)?;
    let (a, body) = service
        .attachments()
        .download(&auth.0, id)
        .await
        .map_err(ApiError::from)?;
    let length = a.file_size;
    Ok(Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, a.content_type.as_str())
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&a.filename),
        )
        .header(header::CONTENT_LENGTH, length)
        .body(Body::from_bytes_stream(body.map_ok(bytes::Bytes::from)))
        .into_response())
}
