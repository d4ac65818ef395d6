//! Ticket exports: queued as jobs, written as CSV or XLSX files under the data directory,
//! downloaded by whoever asked (or an admin). The export sees exactly what its requester's
//! ticket list sees, page by page, with the same filters and order, in the words, time zone
//! and file conventions the requester asked for.

mod job;
mod request;
mod rows;
mod xlsx;

pub(crate) use job::run;
pub(crate) use rows::cell;

use std::sync::Arc;

use fixdesk_domain::{
    Actor, DomainError, ExportFormat, ExportLayout, Job, JobKind, JobState, Role, TicketQuery,
    TimeZone,
};
use fixdesk_repository::jobs;
use fixdesk_usecases::{ByteStream, ExportUseCases, ServiceError, async_trait};
use request::{Request, format_of};

use crate::{clock, context::Context, files::StoreError};

/// Removes an export job's file (housekeeping, before the job's row goes).
pub(crate) async fn remove_file(ctx: &Context, job: &Job) -> Result<(), StoreError> {
    ctx.exports
        .remove(&request::file_key(job.id, format_of(job)))
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
            clock::wall(),
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
        match self.ctx.exports.open(&request::file_key(id, format)).await {
            Ok(s) => Ok((format, s)),
            Err(StoreError::NotFound) => Err(DomainError::ExportNotFound.into()),
            Err(e) => Err(ServiceError::internal(e)),
        }
    }
}
