//! Filing a repair ticket: category, the equipment of that category (`ticket_fields`), room,
//! priority, description, and files sent with the same form. Opened from an item's label
//! (`?equipment=`), the item, its category and its room come filled in, and the item's open
//! tickets are named first, so whoever has the same problem joins one instead of filing a
//! duplicate.

use askama::Template;
use fixdesk_usecases::{
    ServiceError,
    domain::{
        CategoryId, Description, DomainError, EquipmentId, NewTicket, Priority, RoomNumber, Ticket,
        Title,
    },
};
use poem::{
    Request, Response, handler,
    web::{Data, Multipart, Query},
};

use crate::{
    Service, WebError,
    field_errors::FieldErrors,
    flash::done,
    form::{collect, parse_opt},
    i18n::error_text,
    layout::{Layout, page},
    pages::{
        attachments::{check_csrf_first, file_body},
        ticket_fields::Pickers,
    },
    session::Session,
    view::{self, Choice},
};

/// The text fields of the form, as typed.
#[derive(Debug, Default)]
struct Fields {
    title: String,
    description: String,
    room: String,
    priority: String,
    category: String,
    equipment: String,
}

impl Fields {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "title" => &mut self.title,
            "description" => &mut self.description,
            "room_number" => &mut self.room,
            "priority" => &mut self.priority,
            "category_id" => &mut self.category,
            "equipment_id" => &mut self.equipment,
            _ => return,
        };
        *slot = value;
    }

    /// The ticket these fields describe, or every field's complaint at once.
    fn ticket(&self) -> Result<NewTicket, ServiceError> {
        let mut errors = Vec::new();
        let title = collect(&mut errors, Title::parse(&self.title));
        let description = collect(&mut errors, Description::parse(&self.description));
        let room = collect(&mut errors, RoomNumber::parse(&self.room));
        let priority = collect(
            &mut errors,
            if self.priority.is_empty() {
                Ok(Priority::default())
            } else {
                self.priority.parse()
            },
        );
        let number = |raw: &str| parse_opt::<i64>("id", raw).ok().flatten();
        match (title, description, room, priority) {
            (Some(title), Some(description), Some(room_number), Some(priority)) => Ok(NewTicket {
                title,
                description,
                room_number,
                priority,
                category_id: number(&self.category).map(CategoryId),
                equipment_id: number(&self.equipment).map(EquipmentId),
            }),
            _ => Err(DomainError::Invalid(errors).into()),
        }
    }
}

#[derive(Template)]
#[template(path = "tickets/new.html")]
struct NewPage {
    l: Layout,
    f: Fields,
    errors: FieldErrors,
    pickers: Pickers,
    priorities: Vec<Choice>,
    /// The item's open tickets, named before a new one is filed (opened from its label).
    reports: Vec<Report>,
}

/// An open ticket about the item being reported.
#[derive(Debug)]
struct Report {
    id: i64,
    title: String,
    status: &'static str,
    status_label: &'static str,
    /// The visitor filed or follows it (or is staff): they open it rather than join it.
    open: bool,
}

async fn render(
    req: &Request,
    session: &Session,
    service: &Service,
    f: Fields,
    errors: FieldErrors,
    reports: Vec<Ticket>,
) -> Result<Response, WebError> {
    let pickers = Pickers::load(service, &session.actor, &f.category, &f.equipment).await?;
    let l = Layout::new(req, session, service).await;
    let t = l.t;
    let priority = if f.priority.is_empty() {
        Priority::default().as_str().to_string()
    } else {
        f.priority.clone()
    };
    let actor = &session.actor;
    page(&NewPage {
        reports: reports
            .into_iter()
            .map(|r| Report {
                id: r.id.0,
                status: r.status.as_str(),
                status_label: view::status_label(t, r.status),
                open: actor.role.is_staff() || r.creator_id == actor.id,
                title: r.title,
            })
            .collect(),
        pickers,
        priorities: view::priority_choices(t, &priority),
        f,
        errors,
        l,
    })
}

/// `?equipment=`: the item a label's code named.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Prefill {
    #[serde(default)]
    equipment: Option<String>,
}

#[handler]
pub async fn show_form(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(prefill): Query<Prefill>,
) -> Result<Response, WebError> {
    let mut f = Fields::default();
    let mut reports = Vec::new();
    let id = prefill.equipment.as_deref().and_then(|e| e.parse().ok());
    if let Some(id) = id {
        let item = service
            .equipment()
            .get(&session.actor, EquipmentId(id))
            .await?;
        reports = service
            .tickets()
            .open_reports(&session.actor, item.id)
            .await?;
        f.equipment = item.id.to_string();
        f.category = item.category_id.map(|c| c.to_string()).unwrap_or_default();
        f.room = item.location.unwrap_or_default();
    }
    render(req, &session, service, f, FieldErrors::none(), reports).await
}

/// Reads the whole form first, receiving and checking each file as it comes; only when every
/// field and every file is acceptable is the ticket filed and the files put on it. A refusal
/// shows the form again as typed, with the complaint next to its field, and leaves nothing
/// behind.
#[handler]
pub async fn create(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    mut form: Multipart,
) -> Result<Response, WebError> {
    check_csrf_first(&session, &mut form).await?;
    let attachments = service.attachments();
    let mut fields = Fields::default();
    let mut staged = Vec::new();
    let mut refusal = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| WebError::BadForm(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name != "attachments" {
            let value = field
                .text()
                .await
                .map_err(|e| WebError::BadForm(e.to_string()))?;
            fields.set(&name, value);
            continue;
        }
        let filename = field.file_name().unwrap_or_default().to_string();
        if filename.is_empty() || refusal.is_some() {
            continue;
        }
        match attachments
            .stage(&session.actor, &filename, file_body(field))
            .await
        {
            Ok(file) => staged.push(file),
            Err(e @ ServiceError::Domain(_)) => refusal = Some((filename, e)),
            Err(e) => {
                attachments.discard(staged).await;
                return Err(e.into());
            }
        }
    }
    let t = session.lang.texts();
    if let Some((filename, e)) = refusal {
        attachments.discard(staged).await;
        let message = format!("{filename}: {}", error_text(&e, session.lang));
        let errors = FieldErrors::single("attachments", message, t);
        return refused(req, &session, service, fields, errors).await;
    }
    let filed = match fields.ticket() {
        Ok(new) => {
            service
                .tickets()
                .create(&session.actor, new, &session.client)
                .await
        }
        Err(e) => Err(e),
    };
    let ticket = match filed {
        Ok(ticket) => ticket,
        Err(e) => {
            attachments.discard(staged).await;
            return match e {
                ServiceError::Domain(_) => {
                    let errors = FieldErrors::of(&e, session.lang);
                    refused(req, &session, service, fields, errors).await
                }
                e => Err(e.into()),
            };
        }
    };
    let mut files = staged.into_iter();
    while let Some(file) = files.next() {
        if let Err(e) = attachments
            .attach(&session.actor, ticket.id, file, &session.client)
            .await
        {
            // A fault between files: the ones not yet attached are not left in the store.
            attachments.discard(files.collect()).await;
            return Err(e.into());
        }
    }
    Ok(done(
        req,
        t.ticket_created,
        &format!("/ui/tickets/{}", ticket.id),
    ))
}

/// The form again, as typed, with the complaints (status 422).
async fn refused(
    req: &Request,
    session: &Session,
    service: &Service,
    fields: Fields,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let mut resp = render(req, session, service, fields, errors, Vec::new()).await?;
    resp.set_status(poem::http::StatusCode::UNPROCESSABLE_ENTITY);
    Ok(resp)
}
