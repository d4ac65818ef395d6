//! Canned replies (staff): the desk's shared ones, which admins keep, and each person's own —
//! listed, added, corrected in place and deleted. What a reply may not be changed by its
//! visitor (an agent and a shared reply) is shown, not offered as a form.

use askama::Template;
use fixdesk_usecases::domain::canned::{CannedDraft, PLACEHOLDERS};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    form::checked,
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
};

const PAGE: &str = "/ui/canned";

#[derive(Debug)]
pub struct ReplyRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub shared: bool,
    /// The visitor may change it (their own, or an admin and a shared one).
    pub editable: bool,
}

#[derive(Template)]
#[template(path = "canned.html")]
struct ListPage {
    l: Layout,
    rows: Vec<ReplyRow>,
    placeholders: String,
}

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    session.require_staff()?;
    let actor = &session.actor;
    let replies = service.canned_replies().list(actor, None).await?;
    let admin = actor.role == fixdesk_usecases::domain::Role::Admin;
    let l = Layout::new(req, &session, service).await;
    page(&ListPage {
        rows: replies
            .into_iter()
            .map(|(r, _)| ReplyRow {
                id: r.id,
                shared: r.owner_id.is_none(),
                editable: r.owner_id == Some(actor.id) || (admin && r.owner_id.is_none()),
                title: r.title,
                body: r.body,
            })
            .collect(),
        placeholders: PLACEHOLDERS.join(" "),
        l,
    })
}

#[derive(Debug, Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    /// Admins: for the whole staff.
    #[serde(default)]
    shared: Option<String>,
}

impl ReplyForm {
    fn draft(&self) -> Result<CannedDraft, fixdesk_usecases::ServiceError> {
        Ok(CannedDraft::parse(
            &self.title,
            &self.body,
            checked(&self.shared),
        )?)
    }
}

#[handler]
pub async fn create(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, WebError> {
    let adding = async {
        service
            .canned_replies()
            .create(&session.actor, form.draft()?, &session.client)
            .await
    };
    let saved = session.lang.texts().saved;
    session
        .act_on_page(req, &form.csrf, PAGE, saved, adding)
        .await
}

#[handler]
pub async fn update(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, WebError> {
    let saving = async {
        service
            .canned_replies()
            .update(&session.actor, id, form.draft()?, &session.client)
            .await
    };
    let saved = session.lang.texts().saved;
    session
        .act_on_page(req, &form.csrf, PAGE, saved, saving)
        .await
}

#[handler]
pub async fn delete(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let deleting = service
        .canned_replies()
        .delete(&session.actor, id, &session.client);
    let deleted = session.lang.texts().deleted;
    session
        .act_on_page(req, &form.csrf, PAGE, deleted, deleting)
        .await
}
