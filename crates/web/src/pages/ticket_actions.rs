//! What the forms on a ticket's page do. Each checks the CSRF token, asks the service (which
//! decides whether the visitor may), and returns to the ticket with the outcome shown.

use fixdesk_usecases::{
    ServiceError,
    domain::{
        CategoryId, DomainError, EquipmentId, MessageText, Patch, Resolution, RoomNumber,
        TicketChanges, TicketId, TicketStatus, Title, UserId,
    },
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    flash::done,
    form::{collect, invalid, parse_opt},
    pages::auth::CsrfOnly,
    session::Session,
};

fn page_of(id: i64) -> String {
    format!("/ui/tickets/{id}")
}

/// Does a form's action on ticket `id` once its CSRF token checks out, and returns to the
/// ticket's page saying `text` (or, refused, why).
async fn on_ticket<T>(
    req: &Request,
    session: &Session,
    id: i64,
    csrf: &str,
    text: &str,
    action: impl std::future::Future<Output = Result<T, ServiceError>>,
) -> Result<Response, WebError> {
    session.act(csrf, page_of(id), action).await?;
    Ok(done(req, text, &page_of(id)))
}

#[handler]
pub async fn take(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let taking = service
        .tickets()
        .claim(&session.actor, TicketId(id), &session.client);
    let text = session.lang.texts().ticket_taken;
    on_ticket(req, &session, id, &form.csrf, text, taking).await
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
    let setting = async {
        // Closing goes through the close form, which asks for the resolution.
        if status == TicketStatus::Closed {
            return Err(DomainError::ResolutionRequired.into());
        }
        service
            .tickets()
            .set_status(&session.actor, TicketId(id), status, &session.client)
            .await
    };
    let text = session.lang.texts().saved;
    on_ticket(req, &session, id, &form.csrf, text, setting).await
}

#[derive(Debug, Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    /// Blank: no category (and so the desk's default service level and rule).
    #[serde(default)]
    category_id: String,
    /// Blank: about no item.
    #[serde(default)]
    equipment_id: String,
    #[serde(default)]
    room_number: String,
    #[serde(default)]
    priority: String,
}

impl DetailsForm {
    /// The correction these fields ask for, or every field's complaint at once (values the
    /// page never offers are a malformed form). Every field is sent back; the service changes
    /// and audits only those that differ.
    fn changes(&self) -> Result<Result<TicketChanges, ServiceError>, WebError> {
        let patch = |id: Option<i64>| id.map_or(Patch::Null, Patch::Value);
        let category = patch(parse_opt("category_id", &self.category_id)?);
        let equipment = patch(parse_opt("equipment_id", &self.equipment_id)?);
        let priority = self
            .priority
            .parse()
            .map_err(|_| WebError::BadForm("priority".into()))?;
        let mut errors = Vec::new();
        let title = collect(&mut errors, Title::parse(&self.title));
        let room_number = collect(&mut errors, RoomNumber::parse(&self.room_number));
        if !errors.is_empty() {
            return Ok(Err(DomainError::Invalid(errors).into()));
        }
        Ok(Ok(TicketChanges {
            title,
            room_number,
            priority: Some(priority),
            category_id: category.map(CategoryId),
            equipment_id: equipment.map(EquipmentId),
            ..TicketChanges::default()
        }))
    }
}

/// Staff who work the ticket (and its creator while it is new) correct what it is about: the
/// service level and assignment rule follow a new category, as through the API.
#[handler]
pub async fn edit_details(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, WebError> {
    let changes = form.changes()?;
    let editing = async {
        service
            .tickets()
            .update(&session.actor, TicketId(id), changes?, &session.client)
            .await
    };
    let text = session.lang.texts().details_saved;
    on_ticket(req, &session, id, &form.csrf, text, editing).await
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    /// Blank: nobody (the ticket goes back to the queue).
    #[serde(default)]
    assignee: String,
}

#[handler]
pub async fn assign(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<AssignForm>,
) -> Result<Response, WebError> {
    let assignee = parse_opt::<i64>("assignee", &form.assignee)?;
    let tickets = service.tickets();
    let (actor, ticket, client) = (&session.actor, TicketId(id), &session.client);
    let assigning = async {
        match assignee {
            Some(to) => tickets.assign(actor, ticket, UserId(to), client).await,
            None => tickets.unassign(actor, ticket, client).await,
        }
    };
    let text = session.lang.texts().saved;
    on_ticket(req, &session, id, &form.csrf, text, assigning).await
}

#[derive(Debug, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    resolution: String,
}

/// Staff and the creator close with a resolution, which is required.
#[handler]
pub async fn close(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Response, WebError> {
    let resolution = Resolution::parse(&form.resolution).map_err(invalid);
    let closing = async {
        service
            .tickets()
            .resolve(&session.actor, TicketId(id), resolution?, &session.client)
            .await
    };
    let text = session.lang.texts().ticket_closed;
    on_ticket(req, &session, id, &form.csrf, text, closing).await
}

#[derive(Debug, Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    csrf: String,
    /// Why it is not solved: posted to the thread, so whoever works it reads it.
    #[serde(default)]
    reason: String,
}

/// Staff, or the creator within the desk's window, reopen a closed ticket, saying why.
#[handler]
pub async fn reopen(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<ReopenForm>,
) -> Result<Response, WebError> {
    let reopening = async {
        let reason = MessageText::parse(&form.reason).map_err(DomainError::from)?;
        service
            .tickets()
            .reopen(&session.actor, TicketId(id), Some(reason), &session.client)
            .await
    };
    let text = session.lang.texts().ticket_reopened;
    on_ticket(req, &session, id, &form.csrf, text, reopening).await
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
    /// The staff's "internal note" box, present when ticked.
    #[serde(default)]
    internal: Option<String>,
}

#[handler]
pub async fn post_message(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<MessageForm>,
) -> Result<Response, WebError> {
    let message = MessageText::parse(&form.message).map_err(invalid);
    let posting = async {
        service
            .tickets()
            .post_message(
                &session.actor,
                TicketId(id),
                message?,
                form.internal.is_some(),
                &session.client,
            )
            .await
    };
    let text = session.lang.texts().message_sent;
    on_ticket(req, &session, id, &form.csrf, text, posting).await
}

#[derive(Debug, Deserialize)]
pub struct WaitingForm {
    #[serde(default)]
    csrf: String,
    /// `1`: wait for the requester (the clocks pause); anything else: stop waiting.
    #[serde(default)]
    on: String,
}

#[handler]
pub async fn waiting(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<WaitingForm>,
) -> Result<Response, WebError> {
    let on = form.on == "1";
    let changes = TicketChanges {
        waiting_on_requester: Some(on),
        ..TicketChanges::default()
    };
    let changing = service
        .tickets()
        .update(&session.actor, TicketId(id), changes, &session.client);
    let t = session.lang.texts();
    let text = if on {
        t.tl_waiting_on
    } else {
        t.tl_waiting_off
    };
    on_ticket(req, &session, id, &form.csrf, text, changing).await
}

#[derive(Debug, Deserialize)]
pub struct TickForm {
    #[serde(default)]
    csrf: String,
    line: usize,
    /// `1`: ticked, else cleared.
    #[serde(default)]
    done: String,
}

/// Ticks (or clears) one box of a ticket's checklist (the service changes that line of the
/// description, audited as an edit like any other).
#[handler]
pub async fn tick(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<TickForm>,
) -> Result<Response, WebError> {
    let ticking = service.tickets().tick(
        &session.actor,
        TicketId(id),
        form.line,
        form.done == "1",
        &session.client,
    );
    let text = session.lang.texts().saved;
    on_ticket(req, &session, id, &form.csrf, text, ticking).await
}
