//! Equipment health (staff): failures, MTBF, MTTR, downtime and maintenance cost over a period,
//! per item or summed over a model, category or location, the most failing first, with a chart
//! drawn on the server (no script needed) and the items due for service; the table downloads as
//! CSV or XLSX.

use askama::Template;
use fixdesk_usecases::domain::{
    EquipmentId, ExportFormat, ExportLayout,
    reliability::{Figures, GroupBy},
};
use poem::{
    IntoResponse, Request, Response, handler,
    http::header,
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    i18n::{Lang, Texts},
    layout::{Layout, page},
    session::Session,
    view::Choice,
};

/// Bars in the chart: the most failing.
const CHART_BARS: usize = 10;

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct HealthQuery {
    #[serde(default)]
    by: String,
    #[serde(default)]
    days: Option<u32>,
}

impl HealthQuery {
    fn by(&self) -> GroupBy {
        GroupBy::parse(&self.by).unwrap_or_default()
    }

    fn days(&self) -> u32 {
        self.days.unwrap_or(90).clamp(1, 3660)
    }
}

/// One bar: its label, failures, and where it is drawn (in the chart's units).
#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub failures: i64,
    pub y: usize,
    pub width: f64,
}

#[derive(Debug)]
pub struct DueRow {
    pub equipment_id: i64,
    pub name: String,
    pub title: String,
    pub due: String,
    pub ticket: Option<i64>,
}

/// A maintenance schedule in the desk's list of them.
#[derive(Debug)]
pub struct ScheduleListRow {
    pub title: String,
    pub rhythm: String,
    /// What it services: one item (with its page) or a whole category.
    pub scope: String,
    pub item: Option<i64>,
    pub enabled: bool,
    pub checklist: usize,
}

#[derive(Template)]
#[template(path = "equipment/health.html")]
struct HealthPage {
    schedules: Vec<ScheduleListRow>,
    l: Layout,
    rows: Vec<Figures>,
    bars: Vec<Bar>,
    chart_height: usize,
    due: Vec<DueRow>,
    groupings: Vec<Choice>,
    periods: Vec<Choice>,
    /// The query string of the current view, for the downloads.
    query: String,
    linked: bool,
}

fn grouping_label(t: &Texts, g: GroupBy) -> &'static str {
    match g {
        GroupBy::Item => t.by_item,
        GroupBy::Model => t.model,
        GroupBy::Category => t.category,
        GroupBy::Location => t.location,
    }
}

fn bars(rows: &[Figures]) -> Vec<Bar> {
    let top: Vec<&Figures> = rows
        .iter()
        .filter(|r| r.tally.failures > 0)
        .take(CHART_BARS)
        .collect();
    let most = top.first().map_or(1, |r| r.tally.failures.max(1));
    top.into_iter()
        .enumerate()
        .map(|(i, r)| Bar {
            label: r.label.clone(),
            failures: r.tally.failures,
            y: i * 28,
            width: 440.0 * r.tally.failures as f64 / most as f64,
        })
        .collect()
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(q): Query<HealthQuery>,
) -> Result<Response, WebError> {
    session.require_staff()?;
    let actor = &session.actor;
    let (by, days) = (q.by(), q.days());
    let rows = service.equipment().reliability(actor, by, days).await?;
    let names: std::collections::HashMap<EquipmentId, String> = service
        .equipment()
        .list(
            actor,
            Default::default(),
            None,
            fixdesk_usecases::domain::Page::new(
                0,
                fixdesk_usecases::domain::Page::MAX_LIMIT as i64,
            ),
        )
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let due = service
        .preventive()
        .due(actor, 30)
        .await?
        .into_iter()
        .map(|d| DueRow {
            equipment_id: d.equipment_id.0,
            name: names.get(&d.equipment_id).cloned().unwrap_or_default(),
            title: d.title,
            due: d.next_due.to_string(),
            ticket: d.open_ticket.map(|t| t.0),
        })
        .collect();
    let categories = service
        .categories()
        .list(
            actor,
            true,
            fixdesk_usecases::domain::Page::new(
                0,
                fixdesk_usecases::domain::Page::MAX_LIMIT as i64,
            ),
        )
        .await?;
    let plans = service.preventive().schedules(actor).await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let schedules = plans
        .into_iter()
        .map(|s| ScheduleListRow {
            rhythm: crate::pages::schedules::rhythm(t, &s),
            scope: match (s.equipment_id, s.category_id) {
                (Some(e), _) => names
                    .get(&e)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", e.0)),
                (None, Some(c)) => {
                    let name = categories
                        .iter()
                        .find(|k| k.id == c)
                        .map(|k| k.name.clone());
                    format!("{}: {}", t.whole_category, name.unwrap_or_default())
                }
                (None, None) => String::new(),
            },
            item: s.equipment_id.map(|e| e.0),
            enabled: s.enabled,
            checklist: s.checklist.len(),
            title: s.title,
        })
        .collect();
    let bars = bars(&rows);
    let query = serde_urlencoded::to_string(HealthQuery {
        by: by.as_str().into(),
        days: Some(days),
    })
    .unwrap_or_default();
    page(&HealthPage {
        schedules,
        chart_height: bars.len() * 28,
        bars,
        linked: by == GroupBy::Item,
        rows,
        due,
        groupings: GroupBy::ALL
            .into_iter()
            .map(|g| Choice::new(g.as_str(), grouping_label(t, g), by.as_str()))
            .collect(),
        periods: [30u32, 90, 365]
            .into_iter()
            .map(|d| {
                let label = t.last_days.replace("{}", &d.to_string());
                Choice::new(d.to_string(), label, &days.to_string())
            })
            .collect(),
        query,
        l,
    })
}

/// The table as a file: `format` is `csv` or `xlsx`.
async fn download(
    session: Session,
    service: &Service,
    q: HealthQuery,
    format: ExportFormat,
) -> Result<Response, WebError> {
    session.require_staff()?;
    let t = session.lang.texts();
    let layout = ExportLayout {
        format,
        delimiter: if session.lang == Lang::Ru { ';' } else { ',' },
        bom: true,
        headers: [
            t.name,
            t.items,
            t.failures,
            t.repairs,
            t.mtbf_hours,
            t.mttr_hours,
            t.downtime_hours,
            t.maintenance_cost,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        ..ExportLayout::default()
    };
    let bytes = service
        .equipment()
        .reliability_file(&session.actor, q.by(), q.days(), layout)
        .await?;
    let name = format!(
        "equipment-health-{}-{}d.{}",
        q.by(),
        q.days(),
        format.extension()
    );
    Ok(bytes
        .with_content_type(format.content_type())
        .with_header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .into_response())
}

#[handler]
pub async fn csv(
    session: Session,
    Data(service): Data<&Service>,
    Query(q): Query<HealthQuery>,
) -> Result<Response, WebError> {
    download(session, service, q, ExportFormat::Csv).await
}

#[handler]
pub async fn xlsx(
    session: Session,
    Data(service): Data<&Service>,
    Query(q): Query<HealthQuery>,
) -> Result<Response, WebError> {
    download(session, service, q, ExportFormat::Xlsx).await
}
