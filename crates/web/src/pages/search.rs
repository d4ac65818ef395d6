//! `/ui/search`: the header's search box — tickets and equipment matching the words, best
//! first, each with the stretch of text that matched (highlighted) and where it was found.

use askama::Template;
use fixdesk_usecases::domain::{
    HitSubject, MatchedIn, Page, SearchHit, SearchQuery, SearchScope, SearchTerms,
};
use poem::{
    Request, Response, handler,
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    form::page_number,
    i18n::Texts,
    layout::{Layout, page},
    session::Session,
    view::{PAGE_SIZE, Pager, status_label},
};

/// One result as the page shows it.
#[derive(Debug)]
pub struct HitRow {
    pub href: String,
    /// `#42` for a ticket, the inventory number for an item.
    pub label: String,
    pub title: String,
    /// A ticket's status, an item's place.
    pub detail: String,
    pub found_in: &'static str,
    /// HTML-escaped by the domain, the found words in `<mark>`.
    pub snippet_html: String,
    pub ticket: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    scope: &'static str,
    rows: Vec<HitRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    scope: String,
    #[serde(default, skip_serializing)]
    page: Option<String>,
}

fn found_in(t: &Texts, m: MatchedIn) -> &'static str {
    match m {
        MatchedIn::Number => t.found_in_number,
        MatchedIn::Room => t.found_in_room,
        MatchedIn::Ticket => t.found_in_ticket,
        MatchedIn::Message => t.found_in_message,
        MatchedIn::Note => t.found_in_note,
        MatchedIn::Equipment => t.found_in_equipment,
    }
}

fn row(t: &Texts, h: SearchHit) -> HitRow {
    let (href, label, detail, ticket) = match h.subject {
        HitSubject::Ticket {
            id,
            status,
            room_number,
        } => (
            format!("/ui/tickets/{id}"),
            format!("#{id}"),
            format!("{} · {} {room_number}", status_label(t, status), t.room),
            true,
        ),
        HitSubject::Equipment {
            id,
            location,
            inventory_number,
        } => (
            format!("/ui/equipment/{id}"),
            inventory_number.unwrap_or_default(),
            location.unwrap_or_default(),
            false,
        ),
    };
    HitRow {
        href,
        label,
        title: h.title,
        detail,
        found_in: found_in(t, h.matched_in),
        snippet_html: h.snippet.html(),
        ticket,
    }
}

#[handler]
pub async fn search(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(params): Query<SearchParams>,
) -> Result<Response, WebError> {
    let number = page_number(params.page.as_deref());
    let scope = SearchScope::parse(&params.scope).unwrap_or_default();
    let l = Layout::new(req, &session, service).await;
    let mut rows = Vec::new();
    let mut has_more = false;
    if let Some(terms) = SearchTerms::parse(&params.q) {
        // One more than a page tells whether there is a next one.
        let query = SearchQuery {
            terms,
            scope,
            page: Page {
                offset: Pager::offset(number),
                limit: PAGE_SIZE + 1,
            },
        };
        let mut hits = service.search().search(&session.actor, query).await?;
        has_more = hits.len() as u64 > PAGE_SIZE;
        hits.truncate(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX));
        rows = hits.into_iter().map(|h| row(l.t, h)).collect();
    }
    page(&SearchPage {
        pager: Pager::new("/ui/search", &params, number, None, has_more),
        scope: match scope {
            SearchScope::All => "all",
            SearchScope::Tickets => "tickets",
            SearchScope::Equipment => "equipment",
        },
        q: params.q,
        rows,
        l,
    })
}
