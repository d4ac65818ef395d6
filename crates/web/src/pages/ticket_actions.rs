//! What the forms on a ticket's page do. Each checks the CSRF token, asks the service (which
//! decides whether the visitor may), and returns to the ticket with the outcome shown.

use fixdesk_usecases::domain::{MessageText, TicketId, TicketStatus, UserId};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{
    Service, WebError, flash::done, form::invalid, pages::auth::CsrfOnly, session::Session,
};

fn page_of(id: i64) -> String {
    format!("/ui/tickets/{id}")
}

#[handler]
pub async fn take(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session
        .act(
            &form.csrf,
            page_of(id),
            service
                .tickets()
                .claim(&session.actor, TicketId(id), &session.client),
        )
        .await?;
    Ok(done(req, session.lang.texts().ticket_taken, &page_of(id)))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    status: String,
}

#[handler]
pub async fn set_status(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let status: TicketStatus = form
        .status
        .parse()
        .map_err(|_| WebError::BadForm("status".into()))?;
    service
        .tickets()
        .set_status(&session.actor, TicketId(id), status, &session.client)
        .await
        .map_err(WebError::back(page_of(id)))?;
    Ok(done(req, session.lang.texts().saved, &page_of(id)))
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    assignee: i64,
}

#[handler]
pub async fn assign(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<AssignForm>,
) -> Result<Response, WebError> {
    session
        .act(
            &form.csrf,
            page_of(id),
            service.tickets().assign(
                &session.actor,
                TicketId(id),
                UserId(form.assignee),
                &session.client,
            ),
        )
        .await?;
    Ok(done(req, session.lang.texts().saved, &page_of(id)))
}

#[derive(Debug, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    resolution: String,
}

/// Staff close with a resolution (posted to the thread); the creator just closes.
#[handler]
pub async fn close(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let tickets = service.tickets();
    let (actor, client) = (&session.actor, &session.client);
    let closed = if actor.role.is_staff() {
        tickets
            .close_with_message(actor, TicketId(id), form.resolution, client)
            .await
    } else {
        tickets.close(actor, TicketId(id), client).await
    };
    closed.map_err(WebError::back(page_of(id)))?;
    Ok(done(req, session.lang.texts().ticket_closed, &page_of(id)))
}

/// Admins delete a ticket; its creator hides it from their own list (the service decides
/// which, by role).
#[handler]
pub async fn remove(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session
        .act(
            &form.csrf,
            page_of(id),
            service
                .tickets()
                .delete(&session.actor, TicketId(id), &session.client),
        )
        .await?;
    let t = session.lang.texts();
    let text = if session.actor.role.is_staff() {
        t.deleted
    } else {
        t.ticket_hidden
    };
    Ok(done(req, text, "/ui/tickets"))
}

#[derive(Debug, Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    csrf: String,
    message: String,
}

#[handler]
pub async fn post_message(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<MessageForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let text =
        MessageText::parse(&form.message).map_err(|e| WebError::back(page_of(id))(invalid(e)))?;
    service
        .tickets()
        .post_message(&session.actor, TicketId(id), text, &session.client)
        .await
        .map_err(WebError::back(page_of(id)))?;
    Ok(done(req, session.lang.texts().message_sent, &page_of(id)))
}
