//! Ticket exports: queued as jobs, written as CSV or XLSX files under the data directory,
//! downloaded by whoever asked (or an admin). The export sees exactly what its requester's
//! ticket list sees, page by page, with the same filters and order, in the words, time zone
//! and file conventions the requester asked for.

mod job;
mod rows;
mod xlsx;

pub(crate) use job::run;
pub(crate) use rows::cell;

use std::sync::Arc;

use fixdesk_domain::{
    Actor, CategoryId, DomainError, EquipmentId, ExportFormat, ExportLayout, Job, JobKind,
    JobState, Page, Priority, Role, TicketFilter, TicketQuery, TicketSort, TicketStatus, TimeZone,
    UserId,
};
use fixdesk_repository::jobs;
use fixdesk_usecases::{ByteStream, ExportUseCases, ServiceError, async_trait};
use serde::{Deserialize, Serialize};

use crate::{clock, context::Context, files::StoreError};

/// What an export job remembers of its request.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    user_id: i64,
    status: Option<String>,
    priority: Option<String>,
    category_id: Option<i64>,
    assigned_to_id: Option<i64>,
    creator_id: Option<i64>,
    equipment_id: Option<i64>,
    search: Option<String>,
    sort: String,
    /// Absent in jobs queued by earlier versions: the codes and plain CSV they wrote.
    #[serde(default)]
    layout: ExportLayout,
}

impl Request {
    fn new(actor: &Actor, q: &TicketQuery, layout: ExportLayout) -> Self {
        let f = &q.filter;
        let sort = q.sort.to_string();
        Self {
            user_id: actor.id.0,
            status: f.status.map(|s| s.as_str().into()),
            priority: f.priority.map(|p| p.as_str().into()),
            category_id: f.category_id.map(|c| c.0),
            assigned_to_id: f.assigned_to_id.map(|u| u.0),
            creator_id: f.creator_id.map(|u| u.0),
            equipment_id: f.equipment_id.map(|e| e.0),
            search: f.search.clone(),
            sort,
            layout,
        }
    }

    fn query(&self, page: Page) -> TicketQuery {
        TicketQuery {
            filter: TicketFilter {
                status: self
                    .status
                    .as_deref()
                    .and_then(|s| s.parse::<TicketStatus>().ok()),
                priority: self
                    .priority
                    .as_deref()
                    .and_then(|p| p.parse::<Priority>().ok()),
                category_id: self.category_id.map(CategoryId),
                assigned_to_id: self.assigned_to_id.map(UserId),
                creator_id: self.creator_id.map(UserId),
                equipment_id: self.equipment_id.map(EquipmentId),
                search: self.search.clone(),
                ..TicketFilter::default()
            },
            sort: self.sort.parse::<TicketSort>().unwrap_or_default(),
            page,
            count_limit: None,
        }
    }
}

/// The format an export job writes (CSV for jobs of versions that knew no other).
fn format_of(job: &Job) -> ExportFormat {
    serde_json::from_str::<Request>(&job.payload)
        .map(|r| r.layout.format)
        .unwrap_or_default()
}

/// Removes an export job's file (housekeeping, before the job's row goes).
pub(crate) async fn remove_file(ctx: &Context, job: &Job) -> Result<(), StoreError> {
    ctx.exports
        .remove(&job::file_key(job.id, format_of(job)))
        .await
}

#[derive(Debug, Clone)]
pub struct Exports {
    ctx: Arc<Context>,
}

impl Exports {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    async fn own(&self, actor: &Actor, id: i64) -> Result<Job, ServiceError> {
        let job = jobs::find(self.ctx.db.reader(), id)
            .await?
            .filter(|j| j.kind == JobKind::ExportTickets.as_str());
        match job {
            Some(j) if actor.role == Role::Admin || j.created_by == Some(actor.id) => Ok(j),
            _ => Err(DomainError::ExportNotFound.into()),
        }
    }
}

#[async_trait]
impl ExportUseCases for Exports {
    async fn export_tickets(
        &self,
        actor: &Actor,
        query: TicketQuery,
        layout: ExportLayout,
    ) -> Result<Job, ServiceError> {
        TimeZone::parse(&layout.time_zone).map_err(DomainError::from)?;
        let payload = serde_json::to_string(&Request::new(actor, &query, layout))
            .map_err(ServiceError::internal)?;
        let uow = self.ctx.db.begin_write().await?;
        let job = jobs::enqueue(
            uow.conn(),
            JobKind::ExportTickets,
            payload,
            Some(actor.id),
            clock::now(),
        )
        .await?;
        uow.commit().await?;
        Ok(job)
    }

    async fn get(&self, actor: &Actor, id: i64) -> Result<Job, ServiceError> {
        self.own(actor, id).await
    }

    async fn download(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(ExportFormat, ByteStream), ServiceError> {
        let job = self.own(actor, id).await?;
        if job.state != JobState::Done {
            return Err(DomainError::ExportNotReady.into());
        }
        let format = format_of(&job);
        match self.ctx.exports.open(&job::file_key(id, format)).await {
            Ok(s) => Ok((format, s)),
            Err(StoreError::NotFound) => Err(DomainError::ExportNotFound.into()),
            Err(e) => Err(ServiceError::internal(e)),
        }
    }
}
