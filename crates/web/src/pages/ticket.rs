//! One ticket: its details, thread and files, and the actions the visitor's role allows. The
//! part that changes while someone else works the ticket sits in `#live`, which the page's
//! script refreshes when a notification about this ticket arrives.

use askama::Template;
use fixdesk_usecases::domain::{Role, TicketId, TicketStatus};
use poem::{
    Request, Response, handler,
    web::{Data, Path},
};

use crate::{
    Service, WebError,
    layout::{Layout, page},
    session::Session,
    view::{self, Choice},
};

#[derive(Debug)]
pub struct MessageRow {
    pub author: String,
    pub text: String,
    pub at: String,
    pub mine: bool,
}

#[derive(Debug)]
pub struct AttachmentRow {
    pub id: i64,
    pub name: String,
    pub size_kib: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "tickets/detail.html")]
struct DetailPage {
    l: Layout,
    id: i64,
    title: String,
    description: String,
    status: &'static str,
    status_label: &'static str,
    priority: &'static str,
    priority_label: &'static str,
    category: String,
    equipment: Option<(i64, String)>,
    room: String,
    creator: String,
    assignee: String,
    created: String,
    updated: String,
    closed: String,
    resolution: String,
    messages: Vec<MessageRow>,
    attachments: Vec<AttachmentRow>,
    is_creator: bool,
    can_take: bool,
    is_open: bool,
    statuses: Vec<Choice>,
    assignees: Vec<Choice>,
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let actor = &session.actor;
    let tickets = service.tickets();
    let ticket = tickets.get(actor, TicketId(id)).await?;
    let messages = tickets.messages(actor, ticket.id).await?;
    let attachments = service.attachments().list(actor, ticket.id).await?;
    let category = match ticket.category_id {
        Some(c) => service
            .categories()
            .get(actor, c)
            .await
            .map(|c| c.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let equipment = match ticket.equipment_id {
        Some(e) => service
            .equipment()
            .get(actor, e)
            .await
            .ok()
            .map(|e| (e.id.0, e.name)),
        None => None,
    };
    let assignees = if actor.role == Role::Admin {
        let current = ticket
            .assigned_to_id
            .map(|a| a.to_string())
            .unwrap_or_default();
        service
            .users()
            .directory(actor)
            .await?
            .into_iter()
            .filter(|u| u.role.is_staff())
            .map(|u| {
                let label = u.full_name.unwrap_or(u.username);
                Choice::new(u.id.to_string(), label, &current)
            })
            .collect()
    } else {
        Vec::new()
    };
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let is_open = ticket.status != TicketStatus::Closed;
    let can_take = actor.role.is_staff()
        && is_open
        && ticket.assigned_to_id != Some(actor.id)
        && (ticket.assigned_to_id.is_none() || actor.role == Role::Admin);
    page(&DetailPage {
        id: ticket.id.0,
        status: ticket.status.as_str(),
        status_label: view::status_label(t, ticket.status),
        priority: ticket.priority.as_str(),
        priority_label: view::priority_label(t, ticket.priority),
        statuses: view::status_choices(t, ticket.status.as_str()),
        category,
        equipment,
        room: ticket.room_number.clone(),
        creator: ticket.creator_name.clone().unwrap_or_default(),
        assignee: ticket.assigned_to_name.clone().unwrap_or_default(),
        created: view::when(&ticket.created_at),
        updated: view::when(&ticket.updated_at),
        closed: view::when_opt(&ticket.closed_at),
        resolution: ticket.resolution.clone().unwrap_or_default(),
        messages: messages
            .into_iter()
            .map(|m| MessageRow {
                author: m.author_name.unwrap_or_default(),
                mine: m.user_id == actor.id,
                text: m.message,
                at: view::when(&m.created_at),
            })
            .collect(),
        attachments: attachments
            .into_iter()
            .map(|a| AttachmentRow {
                id: a.id,
                name: a.filename,
                size_kib: format!("{:.1}", a.file_size as f64 / 1024.0),
                at: view::when(&a.uploaded_at),
            })
            .collect(),
        is_creator: ticket.creator_id == actor.id,
        can_take,
        is_open,
        assignees,
        title: ticket.title,
        description: ticket.description,
        l,
    })
}
