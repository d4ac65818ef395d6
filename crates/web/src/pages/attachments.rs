//! Files on a ticket: uploading from the ticket page, and downloading with the browser's
//! session (the API's download wants a bearer token).

use fixdesk_edge::{content_disposition, inline_disposition};
use fixdesk_usecases::{ByteStream, domain::TicketId};
use futures::{StreamExt, TryStreamExt};
use poem::{
    Body, Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Multipart, Path, Query},
};
use serde::Deserialize;

use crate::{Service, WebError, flash::done, session::Session};

/// A multipart file field as the stream the service stores.
pub fn file_body(field: poem::web::Field) -> ByteStream {
    tokio_util::io::ReaderStream::new(field.into_async_read())
        .map_ok(|b| b.to_vec())
        .boxed()
}

/// Reads the CSRF field, which forms with files put first so that nothing is stored before
/// the request is known to come from this site.
pub async fn check_csrf_first(session: &Session, form: &mut Multipart) -> Result<(), WebError> {
    let field = form
        .next_field()
        .await
        .map_err(|_| WebError::Csrf)?
        .ok_or(WebError::Csrf)?;
    if field.name() != Some("csrf") {
        return Err(WebError::Csrf);
    }
    let token = field.text().await.map_err(|_| WebError::Csrf)?;
    session.check_csrf(&token)
}

#[handler]
pub async fn upload(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, WebError> {
    check_csrf_first(&session, &mut form).await?;
    let back = format!("/ui/tickets/{id}");
    let mut stored = 0;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| WebError::BadForm(e.to_string()))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_string();
        if name.is_empty() {
            continue;
        }
        service
            .attachments()
            .upload(
                &session.actor,
                TicketId(id),
                &name,
                None,
                file_body(field),
                &session.client,
            )
            .await
            .map_err(WebError::back(back.clone()))?;
        stored += 1;
    }
    if stored == 0 {
        return Err(WebError::back(back)(
            fixdesk_usecases::domain::DomainError::FileMissing.into(),
        ));
    }
    Ok(done(req, session.lang.texts().file_attached, &back))
}

#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    /// Show it in the browser (pictures and PDFs only) instead of saving it.
    #[serde(default)]
    inline: Option<String>,
}

#[handler]
pub async fn download(
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, WebError> {
    let (a, body) = service.attachments().download(&session.actor, id).await?;
    let disposition = if q.inline.is_some() && a.opens_inline() {
        inline_disposition(&a.filename)
    } else {
        content_disposition(&a.filename)
    };
    let mut resp = stream_file(&a.content_type, disposition, body);
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, a.file_size.into());
    Ok(resp)
}

/// A download streamed from storage, never held whole in memory.
pub fn stream_file(content_type: &str, disposition: String, body: ByteStream) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(Body::from_bytes_stream(body.map_ok(bytes::Bytes::from)))
}
