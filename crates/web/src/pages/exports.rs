//! Ticket exports: the list's filters go to the job queue; the export's page follows the job
//! (refreshing itself while it runs) and offers the CSV when it is done.

use askama::Template;
use fixdesk_usecases::domain::{
    ExportFormat, ExportLayout, JobState, Page, Priority, TicketStatus,
};
use poem::{
    IntoResponse, Request, Response, handler,
    web::{Data, Form, Path, Redirect},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    clock::Clock,
    i18n::Lang,
    layout::{Layout, page},
    pages::{attachments::stream_file, tickets::TicketFilters},
    session::Session,
    view,
};

#[derive(Debug, Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    csrf: String,
    /// `csv` or `xlsx`.
    #[serde(default)]
    format: String,
    #[serde(flatten)]
    filters: TicketFilters,
}

/// An export as the visitor reads it: their words, their zone, and the CSV conventions of a
/// spreadsheet set to their language (`;` and a byte-order mark for Russian Excel).
fn layout(lang: Lang, clock: &Clock, format: ExportFormat) -> ExportLayout {
    let t = lang.texts();
    let words = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    ExportLayout {
        format,
        delimiter: if lang == Lang::Ru { ';' } else { ',' },
        bom: true,
        time_zone: clock.zone.name().to_string(),
        headers: words(&[
            "№",
            t.title,
            t.status,
            t.priority,
            t.category,
            t.room,
            t.equipment_item,
            t.creator,
            t.assignee,
            t.created,
            t.updated,
            t.closed_at,
            t.description,
            t.resolution,
        ]),
        statuses: TicketStatus::ALL
            .iter()
            .map(|s| view::status_label(t, *s).to_string())
            .collect(),
        priorities: Priority::ALL
            .iter()
            .map(|p| view::priority_label(t, *p).to_string())
            .collect(),
    }
}

#[handler]
pub async fn start(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<ExportForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let clock = Clock::of(req, session.lang.texts());
    let query = form
        .filters
        .query(&session.actor, Page::default(), &clock)?;
    let format = match form.format.as_str() {
        "xlsx" => ExportFormat::Xlsx,
        _ => ExportFormat::Csv,
    };
    let job = service
        .exports()
        .export_tickets(&session.actor, query, layout(session.lang, &clock, format))
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
    /// The state in words.
    state_label: &'static str,
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
    let t = l.t;
    page(&ExportPage {
        id,
        state: job.state.as_str(),
        state_label: match job.state {
            JobState::Queued => t.job_queued,
            JobState::Running => t.job_running,
            JobState::Done => t.job_done,
            JobState::Dead => t.job_failed,
        },
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
    let (format, body) = service.exports().download(&session.actor, id).await?;
    Ok(stream_file(
        format.content_type(),
        format!(
            "attachment; filename=\"tickets-{id}.{}\"",
            format.extension()
        ),
        body,
    ))
}
