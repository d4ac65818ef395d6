//! What an export job remembers of its request, and where its file is kept.

use fixdesk_domain::{
    Actor, CategoryId, EquipmentId, ExportFormat, ExportLayout, Job, Page, Priority, TicketFilter,
    TicketQuery, TicketSort, TicketStatus, UserId,
};
use serde::{Deserialize, Serialize};

/// What an export job remembers of its request.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Request {
    pub(super) user_id: i64,
    pub(super) status: Option<String>,
    pub(super) priority: Option<String>,
    pub(super) category_id: Option<i64>,
    pub(super) assigned_to_id: Option<i64>,
    pub(super) creator_id: Option<i64>,
    pub(super) equipment_id: Option<i64>,
    pub(super) search: Option<String>,
    pub(super) sort: String,
    /// Absent in jobs queued by earlier versions: the codes and plain CSV they wrote.
    #[serde(default)]
    pub(super) layout: ExportLayout,
}

impl Request {
    pub(super) fn new(actor: &Actor, q: &TicketQuery, layout: ExportLayout) -> Self {
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

    pub(super) fn query(&self, page: Page) -> TicketQuery {
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
pub(super) fn format_of(job: &Job) -> ExportFormat {
    serde_json::from_str::<Request>(&job.payload)
        .map(|r| r.layout.format)
        .unwrap_or_default()
}

/// Where an export job's file is kept in the export store.
pub(super) fn file_key(job: i64, format: ExportFormat) -> String {
    match format {
        // Exports of earlier versions were all CSV and kept under this name.
        ExportFormat::Csv => format!("tickets/{job}.csv"),
        ExportFormat::Xlsx => format!("tickets/{job}.xlsx"),
    }
}
