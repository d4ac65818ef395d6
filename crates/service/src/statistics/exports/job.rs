//! Running an export job: page through the tickets as the requester sees them, turn each into
//! a row, and stream the rows into the export store as CSV or through the XLSX writer.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use fixdesk_domain::{Actor, DomainError, ExportFormat, Page, SessionId, TimeZone, UserId};
use fixdesk_repository::{categories, equipment, users};
use fixdesk_usecases::{ByteStream, ServiceError};
use futures::StreamExt;

use super::{
    request::{Request, file_key},
    rows::{self, Names, Row},
    xlsx,
};
use crate::{Tickets, context::Context, jobs::lease::Lease};

const PAGE: u64 = 1000;

/// What a job needs while it pages through the tickets.
struct Pager {
    tickets: Tickets,
    actor: Actor,
    request: Request,
    zone: chrono_tz::Tz,
    names: Names,
    lease: Lease,
    rows: Arc<AtomicU64>,
    total: u64,
}

impl Pager {
    /// The rows of the page at `offset`, with the job's progress recorded.
    async fn rows(&self, offset: u64) -> Result<Vec<Row>, ServiceError> {
        let page = self
            .tickets
            .page(
                &self.actor,
                self.request.query(Page {
                    offset,
                    limit: PAGE,
                }),
            )
            .await?
            .items;
        let done = self.rows.fetch_add(page.len() as u64, Ordering::Relaxed) + page.len() as u64;
        let progress = i32::try_from(done * 100 / self.total)
            .unwrap_or(100)
            .min(99);
        self.lease.renew(progress).await?;
        let layout = &self.request.layout;
        Ok(page
            .iter()
            .map(|t| rows::row(t, layout, self.zone, &self.names))
            .collect())
    }
}

/// Runs an export job.
pub(crate) async fn run(ctx: &Arc<Context>, lease: &Lease) -> Result<String, ServiceError> {
    let job = lease.job();
    let request: Request = serde_json::from_str(&job.payload).map_err(ServiceError::internal)?;
    let user = users::find(ctx.db.reader(), UserId(request.user_id))
        .await?
        .ok_or(DomainError::UserNotFound)?;
    let actor = Actor {
        id: user.id,
        username: user.username,
        full_name: user.full_name,
        role: user.role,
        session: SessionId("export".into()),
    };
    let tickets = Tickets::new(ctx.clone());
    let total = tickets
        .page(
            &actor,
            request.query(Page {
                offset: 0,
                limit: 1,
            }),
        )
        .await?
        .total
        .max(1);
    let reader = ctx.db.reader();
    let names = Names {
        categories: categories::names(reader).await?,
        equipment: equipment::names(reader).await?,
    };
    let format = request.layout.format;
    if format == ExportFormat::Xlsx && total >= xlsx::MAX_ROWS {
        return Err(DomainError::ExportTooLarge.into());
    }
    let rows = Arc::new(AtomicU64::new(0));
    let pager = Pager {
        zone: TimeZone::parse(&request.layout.time_zone).map_or(chrono_tz::Tz::UTC, TimeZone::tz),
        tickets,
        actor,
        request,
        names,
        lease: lease.clone(),
        rows: rows.clone(),
        total,
    };
    let key = file_key(job.id, format);
    match format {
        ExportFormat::Csv => store_csv(ctx, &key, pager).await?,
        ExportFormat::Xlsx => store_xlsx(ctx, &key, pager).await?,
    }
    Ok(serde_json::json!({"rows": rows.load(Ordering::Relaxed)}).to_string())
}

/// Streams the CSV into the store page by page.
async fn store_csv(ctx: &Context, key: &str, pager: Pager) -> Result<(), ServiceError> {
    let body: ByteStream = futures::stream::unfold(Some((0u64, pager)), |state| async move {
        let (offset, pager) = state?;
        let page = match pager.rows(offset).await {
            Ok(p) => p,
            Err(e) => return Some((Err(std::io::Error::other(e.to_string())), None)),
        };
        if page.is_empty() && offset > 0 {
            return None;
        }
        let chunk = rows::csv(&page, &pager.request.layout, offset == 0);
        let next = (page.len() as u64 == PAGE).then_some((offset + PAGE, pager));
        Some((chunk, next))
    })
    .boxed();
    put(ctx, key, body).await
}

/// Stores a finished export's bytes.
async fn put(ctx: &Context, key: &str, body: ByteStream) -> Result<(), ServiceError> {
    ctx.exports
        .put(key, body, u64::MAX)
        .await
        .map(|_| ())
        .map_err(ServiceError::internal)
}

/// Feeds the XLSX writer page by page, then moves the finished workbook into the store.
async fn store_xlsx(ctx: &Context, key: &str, pager: Pager) -> Result<(), ServiceError> {
    let dir = tempfile::tempdir().map_err(ServiceError::internal)?;
    let path = dir.path().join("export.xlsx");
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let headers = pager.request.layout.headers.clone();
    let target = path.clone();
    let writer = tokio::task::spawn_blocking(move || xlsx::write(headers, rx, target));
    let mut offset = 0;
    loop {
        let page = pager.rows(offset).await?;
        let full = page.len() as u64 == PAGE;
        // The writer stopped (it failed): its error is reported below.
        if tx.send(page).await.is_err() || !full {
            break;
        }
        offset += PAGE;
    }
    drop(tx);
    writer
        .await
        .map_err(ServiceError::internal)?
        .map_err(ServiceError::internal)?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(ServiceError::internal)?;
    let body: ByteStream = tokio_util::io::ReaderStream::new(file)
        .map(|chunk| chunk.map(|b| b.to_vec()))
        .boxed();
    put(ctx, key, body).await
}
