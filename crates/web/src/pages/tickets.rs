//! The ticket list: the agent's queue, their own tickets, or everything they may see, with
//! the filters and text search the API offers, paginated.

use std::collections::HashMap;

use askama::Template;
use fixdesk_usecases::domain::{
    Actor, CategoryId, Page, Priority, Ticket, TicketFilter, TicketQuery, TicketStatus,
};
use poem::{
    Request, Response, handler,
    web::{Data, Query, Redirect},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    form::{page_number, parse_opt},
    i18n::Texts,
    layout::{Layout, page},
    session::Session,
    view::{self, Choice, PAGE_SIZE, Pager},
};

#[handler]
pub fn home() -> Redirect {
    Redirect::see_other("/ui/tickets")
}

/// The list's filters as they appear in its URL.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct TicketFilters {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub view: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub priority: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing)]
    pub page: Option<String>,
}

impl TicketFilters {
    /// The query for `actor` (the service narrows users to their own tickets anyway).
    pub fn query(&self, actor: &Actor, page: Page) -> Result<TicketQuery, WebError> {
        let mut filter = TicketFilter {
            status: parse_opt::<TicketStatus>("status", &self.status)?,
            priority: parse_opt::<Priority>("priority", &self.priority)?,
            category_id: parse_opt::<i64>("category", &self.category)?.map(CategoryId),
            search: crate::form::given(&self.q).map(str::to_string),
            ..TicketFilter::default()
        };
        if actor.role.is_staff() {
            match self.view.as_str() {
                "queue" => filter.status = Some(TicketStatus::New),
                "mine" => filter.assigned_to_id = Some(actor.id),
                _ => {}
            }
        }
        Ok(TicketQuery {
            filter,
            page,
            ..TicketQuery::default()
        })
    }
}

/// A ticket as a list row shows it.
#[derive(Debug)]
pub struct TicketRow {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub priority: &'static str,
    pub priority_label: &'static str,
    pub category: String,
    pub room: String,
    pub creator: String,
    pub assignee: String,
    pub created: String,
}

impl TicketRow {
    pub fn new(t: &Texts, ticket: &Ticket, categories: &HashMap<i64, String>) -> Self {
        Self {
            id: ticket.id.0,
            title: ticket.title.clone(),
            status: ticket.status.as_str(),
            status_label: view::status_label(t, ticket.status),
            priority: ticket.priority.as_str(),
            priority_label: view::priority_label(t, ticket.priority),
            category: ticket
                .category_id
                .and_then(|c| categories.get(&c.0).cloned())
                .unwrap_or_default(),
            room: ticket.room_number.clone(),
            creator: ticket.creator_name.clone().unwrap_or_default(),
            assignee: ticket.assigned_to_name.clone().unwrap_or_default(),
            created: view::when(&ticket.created_at),
        }
    }
}

/// Category names by id, inactive ones included for staff.
pub async fn category_names(
    service: &Service,
    actor: &Actor,
) -> Result<HashMap<i64, String>, WebError> {
    Ok(service
        .categories()
        .list(
            actor,
            actor.role.is_staff(),
            Page::new(0, Page::MAX_LIMIT as i64),
        )
        .await?
        .into_iter()
        .map(|c| (c.id.0, c.name))
        .collect())
}

#[derive(Template)]
#[template(path = "tickets/list.html")]
struct ListPage {
    l: Layout,
    f: TicketFilters,
    rows: Vec<TicketRow>,
    pager: Pager,
    views: Vec<Choice>,
    statuses: Vec<Choice>,
    priorities: Vec<Choice>,
    categories: Vec<Choice>,
}

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(f): Query<TicketFilters>,
) -> Result<Response, WebError> {
    let number = page_number(f.page.as_deref());
    let query = f.query(
        &session.actor,
        Page {
            offset: Pager::offset(number),
            limit: PAGE_SIZE,
        },
    )?;
    let found = service.tickets().list(&session.actor, query).await?;
    let names = category_names(service, &session.actor).await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let mut categories: Vec<Choice> = names
        .iter()
        .map(|(id, name)| Choice::new(id.to_string(), name.clone(), &f.category))
        .collect();
    categories.sort_by(|a, b| a.label.cmp(&b.label));
    page(&ListPage {
        rows: found
            .items
            .iter()
            .map(|ticket| TicketRow::new(t, ticket, &names))
            .collect(),
        pager: Pager::new("/ui/tickets", &f, number, Some(found.total), false),
        views: vec![
            Choice::new("", t.view_all, &f.view),
            Choice::new("queue", t.view_queue, &f.view),
            Choice::new("mine", t.view_mine, &f.view),
        ],
        statuses: view::status_choices(t, &f.status),
        priorities: view::priority_choices(t, &f.priority),
        categories,
        f,
        l,
    })
}
