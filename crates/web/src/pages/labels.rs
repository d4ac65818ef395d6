//! Asset labels: each item's tag (its inventory number, or `FD-` and its id) beside a QR code
//! of the address that opens "report a problem with this item" — the new-ticket form with the
//! item, its category and its room filled in (after signing in). One label as an SVG file, or
//! A4 sheets of 24 (3 × 8, 70 × 37 mm, the common sticker sheet) for a selection, a location
//! or everything, printed from the browser.

use askama::Template;
use fixdesk_usecases::domain::{Equipment, EquipmentFilter, EquipmentId, Page};
use poem::{
    IntoResponse, Request, Response, handler,
    http::header,
    web::{Data, Path, Query, Redirect},
};
use qrcode::{Color, EcLevel, QrCode};
use serde::Deserialize;

use crate::{
    Service, WebConfig, WebError,
    layout::{Layout, page},
    session::Session,
};

/// Labels on one A4 sheet: columns, rows, and one label's size in millimetres.
const COLUMNS: usize = 3;
const ROWS: usize = 8;
const WIDTH_MM: f64 = 70.0;
const HEIGHT_MM: f64 = 37.0;
/// The most labels one request draws (a sheet or forty).
const MAX_LABELS: usize = 24 * 40;

/// A QR code as one SVG path of unit squares, with a four-module quiet zone.
#[derive(Debug)]
pub struct Qr {
    /// Modules across, quiet zone included.
    pub size: usize,
    pub path: String,
}

impl Qr {
    /// `None` for a text too long for a code (only an absurd `public_url` makes one).
    fn of(text: &str) -> Option<Qr> {
        // M: 15 % of the code may be scratched off a sticker and it still reads.
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let n = code.width();
        let mut path = String::new();
        for (i, c) in code.to_colors().into_iter().enumerate() {
            if c == Color::Dark {
                path.push_str(&format!("M{},{}h1v1h-1z", i % n + 4, i / n + 4));
            }
        }
        Some(Qr { size: n + 8, path })
    }
}

#[derive(Debug)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub tag: String,
    pub name: String,
    pub location: String,
    pub url: String,
    pub qr: Qr,
}

/// The address a label's code opens: on the desk's public address (`public_url`), never on
/// what a request's `Host` or `X-Forwarded-Proto` claims — a sticker outlives the request.
fn report_url(config: &WebConfig, id: EquipmentId) -> String {
    format!("{}/ui/r/{}", config.public_url.trim_end_matches('/'), id.0)
}

fn label(config: &WebConfig, e: &Equipment, slot: usize) -> Result<Label, WebError> {
    let url = report_url(config, e.id);
    let qr = Qr::of(&url).ok_or_else(|| WebError::BadForm("public_url".into()))?;
    let on_sheet = slot % (COLUMNS * ROWS);
    Ok(Label {
        x: (on_sheet % COLUMNS) as f64 * WIDTH_MM,
        y: (on_sheet / COLUMNS) as f64 * HEIGHT_MM + 0.5,
        tag: e.asset_tag(),
        name: e.name.clone(),
        location: e.location.clone().unwrap_or_default(),
        qr,
        url,
    })
}

#[derive(Template)]
#[template(path = "equipment/label.svg")]
struct OneLabel {
    lb: Label,
}

/// One item's label as an SVG file (70 × 37 mm).
#[handler]
pub async fn one(
    session: Session,
    Data(service): Data<&Service>,
    Data(config): Data<&WebConfig>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let item = service
        .equipment()
        .get(&session.actor, EquipmentId(id))
        .await?;
    let svg = OneLabel {
        lb: Label {
            x: 0.0,
            y: 0.0,
            ..label(config, &item, 0)?
        },
    }
    .render()
    .map_err(|e| WebError::Service(fixdesk_usecases::ServiceError::internal(e)))?;
    Ok(svg
        .with_content_type("image/svg+xml; charset=utf-8")
        .with_header(
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"label-{}.svg\"", item.asset_tag()),
        )
        .into_response())
}

/// Which items get labels: chosen ones (`ids=1,2,3`, or `pick` once per item ticked on the
/// equipment list), a location's, or every item.
#[derive(Debug, Default, Deserialize)]
pub struct Selection {
    #[serde(default)]
    ids: String,
    #[serde(default)]
    location: String,
}

impl Selection {
    /// The chosen items' ids in the order given, each once, at most one more than a request
    /// draws (to say the rest was left out); an entry that is not an id is refused.
    fn chosen(&self) -> Result<Vec<i64>, WebError> {
        let mut ids: Vec<i64> = Vec::new();
        for entry in self.ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let id = entry
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| WebError::BadForm("ids".into()))?;
            if !ids.contains(&id) {
                ids.push(id);
                if ids.len() > MAX_LABELS {
                    break;
                }
            }
        }
        Ok(ids)
    }
}

#[derive(Template)]
#[template(path = "equipment/labels.html")]
struct Sheets {
    l: Layout,
    sheets: Vec<Vec<Label>>,
    count: usize,
    truncated: bool,
}

/// A4 sheets of labels, ready to print.
#[handler]
pub async fn sheets(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Data(config): Data<&WebConfig>,
    Query(selection): Query<Selection>,
) -> Result<Response, WebError> {
    session.require_staff()?;
    let actor = &session.actor;
    // Items ticked on the equipment list come as `pick=1&pick=2`, after any `ids`.
    let mut selection = selection;
    let picked: Vec<(String, String)> =
        serde_urlencoded::from_str(req.uri().query().unwrap_or_default()).unwrap_or_default();
    for (_, id) in picked.into_iter().filter(|(k, _)| k == "pick") {
        selection.ids.push(',');
        selection.ids.push_str(&id);
    }
    let chosen = selection.chosen()?;
    let mut items = Vec::new();
    if chosen.is_empty() {
        let filter = EquipmentFilter {
            location: Some(selection.location.trim().to_string()).filter(|l| !l.is_empty()),
            ..EquipmentFilter::default()
        };
        let limit = Page::new(0, (MAX_LABELS + 1) as i64);
        items = service.equipment().list(actor, filter, None, limit).await?;
    } else {
        for id in chosen.iter().take(MAX_LABELS + 1) {
            items.push(service.equipment().get(actor, EquipmentId(*id)).await?);
        }
    }
    let truncated = items.len() > MAX_LABELS;
    items.truncate(MAX_LABELS);
    let count = items.len();
    let mut labels = items
        .iter()
        .enumerate()
        .map(|(i, e)| label(config, e, i))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .peekable();
    let mut sheets: Vec<Vec<Label>> = Vec::new();
    while labels.peek().is_some() {
        sheets.push(labels.by_ref().take(COLUMNS * ROWS).collect());
    }
    let l = Layout::new(req, &session, service).await;
    page(&Sheets {
        l,
        sheets,
        count,
        truncated,
    })
}

/// What a label's code opens: the new-ticket form about the item (signing in first).
#[handler]
pub async fn report(_session: Session, Path(id): Path<i64>) -> Redirect {
    Redirect::see_other(format!("/ui/tickets/new?equipment={id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(ids: &str) -> Result<Vec<i64>, WebError> {
        Selection {
            ids: ids.into(),
            location: String::new(),
        }
        .chosen()
    }

    #[test]
    fn chosen_ids_are_kept_once_in_order_and_bounded() {
        assert!(matches!(chosen("3, 1,3,1 ,2"), Ok(ids) if ids == [3, 1, 2]));
        assert!(matches!(chosen(""), Ok(ids) if ids.is_empty()));
        assert!(chosen("1,abc").is_err());
        assert!(chosen("0").is_err());
        let many = vec!["1"; 5000].join(",");
        assert!(matches!(chosen(&many), Ok(ids) if ids == [1]));
        let all: Vec<String> = (1..=2000).map(|i| i.to_string()).collect();
        assert!(matches!(chosen(&all.join(",")), Ok(ids) if ids.len() == MAX_LABELS + 1));
    }

    #[test]
    fn a_label_opens_the_public_address() {
        let config = WebConfig {
            secure_cookies: true,
            default_time_zone: fixdesk_usecases::domain::TimeZone::UTC,
            public_url: "https://desk.school.example/".into(),
        };
        assert_eq!(
            report_url(&config, EquipmentId(7)),
            "https://desk.school.example/ui/r/7"
        );
    }
}
