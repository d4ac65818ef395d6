//! Mail delivered to the desk (admins): what became of each message, and the kept ones — read
//! them, deliver them after all (vouching for the sender), or discard them.

use askama::Template;
use fixdesk_usecases::domain::{Page, mail::InboundMail};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    clock::When,
    flash::done,
    form::page_number,
    i18n::Texts,
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
    view::{Choice, PAGE_SIZE, Pager},
};

/// The outcomes a message can have, as the list filters them.
const OUTCOMES: [&str; 8] = [
    "kept",
    "ticket",
    "message",
    "duplicate",
    "ignored",
    "unknown_sender",
    "refused",
    "discarded",
];

/// An outcome in words.
pub fn outcome_label<'a>(t: &Texts, code: &'a str) -> &'a str {
    match code {
        "kept" => t.mail_kept,
        "ticket" => t.mail_ticket,
        "message" => t.mail_message,
        "duplicate" => t.mail_duplicate,
        "ignored" => t.mail_ignored,
        "unknown_sender" => t.mail_unknown_sender,
        "refused" => t.mail_refused,
        "discarded" => t.mail_discarded,
        other => other,
    }
}

#[derive(Debug, Deserialize, Serialize)]
pub struct MailFilters {
    /// Kept mail first: what an admin has to look at.
    #[serde(default = "kept")]
    outcome: String,
    #[serde(default, skip_serializing)]
    page: Option<String>,
}

fn kept() -> String {
    "kept".into()
}

#[derive(Debug)]
pub struct MailRow {
    pub id: i64,
    pub at: When,
    pub sender: String,
    pub subject: String,
    pub outcome: String,
    pub outcome_label: String,
    pub ticket: Option<i64>,
    pub detail: String,
    pub kept: bool,
}

fn row(l: &Layout, m: InboundMail) -> MailRow {
    MailRow {
        id: m.id,
        at: l.clock.when(&m.received_at),
        sender: m.sender,
        subject: m.subject,
        outcome_label: outcome_label(l.t, &m.outcome).to_string(),
        outcome: m.outcome,
        ticket: m.ticket_id,
        detail: m.detail.unwrap_or_default(),
        kept: m.kept,
    }
}

#[derive(Template)]
#[template(path = "mail.html")]
struct ListPage {
    l: Layout,
    rows: Vec<MailRow>,
    outcomes: Vec<Choice>,
    pager: Pager,
}

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(f): Query<MailFilters>,
) -> Result<Response, WebError> {
    session.require_admin()?;
    let number = page_number(f.page.as_deref());
    let outcome = Some(f.outcome.clone()).filter(|o| !o.is_empty());
    let found = service
        .mail()
        .list(
            &session.actor,
            outcome,
            Page {
                offset: Pager::offset(number),
                limit: PAGE_SIZE,
            },
        )
        .await?;
    let l = Layout::new(req, &session, service).await;
    let more = u64::try_from(found.len()).is_ok_and(|n| n == PAGE_SIZE);
    page(&ListPage {
        outcomes: OUTCOMES
            .into_iter()
            .map(|o| Choice::new(o, outcome_label(l.t, o), &f.outcome))
            .collect(),
        pager: Pager::new("/ui/mail", &f, number, None, more),
        rows: found.into_iter().map(|m| row(&l, m)).collect(),
        l,
    })
}

#[derive(Template)]
#[template(path = "mail_read.html")]
struct ReadPage {
    l: Layout,
    m: MailRow,
    headers: Vec<(String, String)>,
    text: String,
    attachments: Vec<String>,
}

#[handler]
pub async fn read(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    session.require_admin()?;
    let kept = service.mail().read(&session.actor, id).await?;
    let l = Layout::new(req, &session, service).await;
    page(&ReadPage {
        m: row(&l, kept.mail),
        headers: kept.headers,
        text: kept.text,
        attachments: kept.attachments,
        l,
    })
}

#[handler]
pub async fn redeliver(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let back = format!("/ui/mail/{id}");
    let outcome = session
        .act(
            &form.csrf,
            &back,
            service.mail().redeliver(&session.actor, id),
        )
        .await?;
    let t = session.lang.texts();
    let said = format!(
        "{}: {}",
        t.mail_delivered,
        outcome_label(t, outcome.as_str())
    );
    let to = match outcome.ticket() {
        Some(ticket) => format!("/ui/tickets/{ticket}"),
        None => "/ui/mail".to_string(),
    };
    Ok(done(req, &said, &to))
}

#[handler]
pub async fn discard(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session
        .act_on_page(
            req,
            &form.csrf,
            "/ui/mail",
            session.lang.texts().mail_discarded_done,
            service.mail().discard(&session.actor, id),
        )
        .await
}
