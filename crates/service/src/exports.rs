//! Ticket exports: queued as jobs, written as CSV files under the data directory, downloaded
//! by whoever asked (or an admin). The export sees exactly what its requester's ticket list
//! sees, page by page, with the same filters and order.

use std::sync::Arc;

use fixdesk_domain::{
    Actor, CategoryId, DomainError, EquipmentId, Job, JobKind, JobState, Page, Priority, Role,
    SessionId, TicketFilter, TicketQuery, TicketSort, TicketStatus, UserId,
};
use fixdesk_repository::{jobs, users};
use fixdesk_usecases::{ByteStream, ExportUseCases, ServiceError, async_trait};
use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::{Tickets, clock, context::Context, files::StoreError, lease::Lease};

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
}

impl Request {
    fn new(actor: &Actor, q: &TicketQuery) -> Self {
        let f = &q.filter;
        let sort = format!(
            "{}{}",
            if q.sort.descending { "-" } else { "" },
            match q.sort.key {
                fixdesk_domain::TicketSortKey::CreatedAt => "created_at",
                fixdesk_domain::TicketSortKey::UpdatedAt => "updated_at",
                fixdesk_domain::TicketSortKey::Priority => "priority",
                fixdesk_domain::TicketSortKey::Status => "status",
                fixdesk_domain::TicketSortKey::Id => "id",
            }
        );
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
                visible_to_creator: None,
            },
            sort: self.sort.parse::<TicketSort>().unwrap_or_default(),
            page,
        }
    }
}

const HEADER: [&str; 15] = [
    "id",
    "title",
    "status",
    "priority",
    "category_id",
    "room_number",
    "equipment_id",
    "creator_id",
    "creator",
    "assigned_to_id",
    "assignee",
    "created_at",
    "updated_at",
    "closed_at",
    "resolution",
];
const PAGE: u64 = 1000;

/// A cell of user-written text that a spreadsheet will not run as a formula: text starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice for
/// CSV injection), which spreadsheets show as plain text.
fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn csv_page(tickets: &[fixdesk_domain::Ticket], header: bool) -> Result<Vec<u8>, ServiceError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record(HEADER).map_err(ServiceError::internal)?;
    }
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let time = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    for t in tickets {
        w.write_record([
            t.id.0.to_string(),
            cell(&t.title),
            t.status.as_str().into(),
            t.priority.as_str().into(),
            opt(t.category_id.map(|c| c.0)),
            cell(&t.room_number),
            opt(t.equipment_id.map(|e| e.0)),
            t.creator_id.0.to_string(),
            cell(t.creator_name.as_deref().unwrap_or_default()),
            opt(t.assigned_to_id.map(|u| u.0)),
            cell(t.assigned_to_name.as_deref().unwrap_or_default()),
            time(t.created_at),
            time(t.updated_at),
            t.closed_at.map(time).unwrap_or_default(),
            cell(t.resolution.as_deref().unwrap_or_default()),
        ])
        .map_err(ServiceError::internal)?;
    }
    w.into_inner()
        .map_err(|e| ServiceError::internal(e.into_error()))
}

fn file_key(job: i64) -> String {
    format!("tickets/{job}.csv")
}

/// Runs an export job: pages through the tickets, streaming CSV into the export store.
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
    let rows = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let state = (0u64, tickets, actor, request, lease.clone(), rows.clone());
    let body: ByteStream = futures::stream::unfold(Some(state), move |state| async move {
        let (offset, tickets, actor, request, lease, rows) = state?;
        let page = match tickets
            .page(
                &actor,
                request.query(Page {
                    offset,
                    limit: PAGE,
                }),
            )
            .await
        {
            Ok(p) => p.items,
            Err(e) => return Some((Err(std::io::Error::other(e.to_string())), None)),
        };
        if page.is_empty() && offset > 0 {
            return None;
        }
        let done = rows.fetch_add(page.len() as u64, std::sync::atomic::Ordering::Relaxed)
            + page.len() as u64;
        let progress = i32::try_from(done * 100 / total).unwrap_or(100).min(99);
        if let Err(e) = lease.renew(progress).await {
            return Some((Err(std::io::Error::other(e.to_string())), None));
        }
        let chunk = csv_page(&page, offset == 0).map_err(|e| std::io::Error::other(e.to_string()));
        let next = (page.len() as u64 == PAGE).then_some((
            offset + PAGE,
            tickets,
            actor,
            request,
            lease,
            rows,
        ));
        Some((chunk, next))
    })
    .boxed();
    match ctx.exports.put(&file_key(job.id), body, u64::MAX).await {
        Ok(_) => Ok(
            serde_json::json!({"rows": rows.load(std::sync::atomic::Ordering::Relaxed)})
                .to_string(),
        ),
        Err(e) => Err(ServiceError::internal(e)),
    }
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
    async fn export_tickets(&self, actor: &Actor, query: TicketQuery) -> Result<Job, ServiceError> {
        let payload =
            serde_json::to_string(&Request::new(actor, &query)).map_err(ServiceError::internal)?;
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

    async fn download(&self, actor: &Actor, id: i64) -> Result<ByteStream, ServiceError> {
        let job = self.own(actor, id).await?;
        if job.state != JobState::Done {
            return Err(DomainError::ExportNotReady.into());
        }
        match self.ctx.exports.open(&file_key(id)).await {
            Ok(s) => Ok(s),
            Err(StoreError::NotFound) => Err(DomainError::ExportNotFound.into()),
            Err(e) => Err(ServiceError::internal(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn text_a_spreadsheet_would_run_is_written_as_text() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        assert_eq!(cell("Принтер 3-го этажа"), "Принтер 3-го этажа");
        assert_eq!(cell(""), "");
    }
}
