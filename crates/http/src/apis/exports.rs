//! Ticket exports: `POST /exports/tickets` (the list's filters as JSON) → 202 with the job;
//! `GET /exports/{id}` → state, progress, rows, error; `GET /exports/{id}/download` → the CSV
//! once done (served by [`download`], outside the OpenAPI description).

use fixdesk_usecases::domain::{ExportLayout, Job, JobState};
use futures::TryStreamExt;
use poem::{
    Body, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path as PoemPath},
};
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};
use serde::Deserialize;

use super::{Tag, tickets::ListParams};
use crate::{
    Service,
    error::{ApiError, ApiResult},
    extract::{Authed, JsonBody, LiveAuth, path_id},
};

#[derive(Debug)]
pub struct ExportsApi;

/// The filters of the ticket list, as a JSON body.
#[derive(Debug, Object, Deserialize)]
pub struct ExportIn {
    #[serde(default)]
    #[oai(nullable)]
    pub status: Option<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub priority: Option<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub category_id: Option<i64>,
    #[serde(default)]
    #[oai(nullable)]
    pub assigned_to_id: Option<i64>,
    #[serde(default)]
    #[oai(nullable)]
    pub creator_id: Option<i64>,
    #[serde(default)]
    #[oai(nullable)]
    pub equipment_id: Option<i64>,
    #[serde(default)]
    #[oai(nullable)]
    pub search: Option<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub sort: Option<String>,
}

/// A background job as clients follow it (exports, statistics rebuilds).
#[derive(Debug, Object)]
pub struct ExportOut {
    pub id: i64,
    pub state: String,
    /// 0–100.
    pub progress: i32,
    /// Rows written, for exports.
    #[oai(nullable)]
    pub row_count: Option<i64>,
    #[oai(nullable)]
    pub error: Option<String>,
}

impl From<Job> for ExportOut {
    fn from(j: Job) -> Self {
        let rows = j
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
            .and_then(|v| v["rows"].as_i64());
        let error = if j.state == JobState::Done {
            None
        } else {
            j.last_error
        };
        Self {
            id: j.id,
            state: j.state.as_str().into(),
            progress: j.progress,
            row_count: rows,
            error,
        }
    }
}

#[derive(Debug, ApiResponse)]
pub enum Accepted {
    /// Queued; follow the job at its own address.
    #[oai(status = 202)]
    Job(Json<ExportOut>),
}

#[OpenApi(tag = "Tag::Tickets")]
impl ExportsApi {
    /// Export the tickets the caller may see that match the filters, as CSV, in the background.
    #[oai(path = "/exports/tickets", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: Authed,
        body: JsonBody<ExportIn>,
    ) -> ApiResult<Accepted> {
        let b = body.parse()?;
        let params = ListParams {
            status: b.status,
            priority: b.priority,
            category_id: b.category_id,
            assigned_to_id: b.assigned_to_id,
            creator_id: b.creator_id,
            equipment_id: b.equipment_id,
            search: b.search,
            sort: b.sort,
            ..Default::default()
        };
        let job = service
            .exports()
            .export_tickets(&auth.0, params.into_query()?, ExportLayout::default())
            .await?;
        Ok(Accepted::Job(Json(job.into())))
    }

    /// An export's state (its requester or an admin). A finished export is kept for the desk's
    /// `job_history_days` (7 by default), then removed with its file: 404.
    #[oai(path = "/exports/:export_id", method = "get")]
    async fn get(
        &self,
        service: Data<&Service>,
        auth: Authed,
        export_id: Path<String>,
    ) -> ApiResult<Json<ExportOut>> {
        let id = path_id("export_id", &export_id.0)?;
        Ok(Json(service.exports().get(&auth.0, id).await?.into()))
    }
}

/// `GET /api/v1/exports/{id}/download`: the CSV of a finished export.
#[handler]
pub async fn download(
    auth: LiveAuth,
    service: Data<&Service>,
    PoemPath(raw): PoemPath<String>,
) -> poem::Result<Response> {
    let id = path_id("export_id", &raw)?;
    let (format, body) = service
        .exports()
        .download(&auth.0, id)
        .await
        .map_err(ApiError::from)?;
    Ok(Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, format.content_type())
        .header(
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"tickets-{id}.{}\"",
                format.extension()
            ),
        )
        .body(Body::from_bytes_stream(body.map_ok(bytes::Bytes::from))))
}
