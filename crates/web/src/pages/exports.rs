//! Ticket exports: the list's filters go to the job queue; the export's page follows the job
//! (refreshing itself while it runs) and offers the CSV when it is done.

use askama::Template;
use fixdesk_usecases::domain::{JobState, Page};
use poem::{
    IntoResponse, Request, Response, handler,
    web::{Data, Form, Path, Redirect},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    layout::{Layout, page},
    pages::{attachments::stream_file, tickets::TicketFilters},
    session::Session,
};

#[derive(Debug, Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    filters: TicketFilters,
}

#[handler]
pub async fn start(
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<ExportForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let query = form.filters.query(&session.actor, Page::default())?;
    let job = service
        .exports()
        .export_tickets(&session.actor, query)
        .await
        .map_err(WebError::back("/ui/tickets"))?;
    Ok(Redirect::see_other(format!("/ui/exports/{}", job.id)).into_response())
}

#[derive(Template)]
#[template(path = "export.html")]
struct ExportPage {
    l: Layout,
    id: i64,
    state: &'static str,
    progress: i32,
    running: bool,
    done: bool,
    error: String,
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let job = service.exports().get(&session.actor, id).await?;
    let l = Layout::new(req, &session, service).await;
    page(&ExportPage {
        id,
        state: job.state.as_str(),
        progress: job.progress,
        running: matches!(job.state, JobState::Queued | JobState::Running),
        done: job.state == JobState::Done,
        error: job.last_error.unwrap_or_default(),
        l,
    })
}

#[handler]
pub async fn download(
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let body = service.exports().download(&session.actor, id).await?;
    Ok(stream_file(
        "text/csv; charset=utf-8",
        format!("attachment; filename=\"tickets-{id}.csv\""),
        body,
    ))
}
