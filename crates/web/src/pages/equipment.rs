//! The equipment inventory: a filtered list, and each item's page with its maintenance
//! history, the tickets filed against it, and (for staff) a form to record maintenance.

use askama::Template;
use fixdesk_usecases::domain::{
    EquipmentFilter, EquipmentId, EquipmentStatus, FieldError, MaintenanceKind, NewMaintenance,
    Page, TicketQuery, equipment::MaintenanceWork, money::Money,
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    clock::When,
    flash::done,
    form::{given, invalid, page_number},
    i18n::Texts,
    layout::{Layout, page},
    pages::{
        schedules::{self, ScheduleRow},
        tickets::{SortLinks, TicketRow, category_names},
    },
    session::Session,
    view::{self, Choice, PAGE_SIZE, Pager},
};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct EquipmentFilters {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    location: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    status: String,
    /// Part of a name, model, serial or inventory number, or location.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    q: String,
    /// "1": only items with an open ticket.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    open: String,
    #[serde(default, skip_serializing)]
    page: Option<String>,
}

#[derive(Debug)]
pub struct EquipmentRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub model: String,
    pub inventory: String,
    pub location: String,
    pub status: &'static str,
    pub status_label: &'static str,
}

pub fn equipment_status_choices(t: &Texts, current: &str) -> Vec<Choice> {
    EquipmentStatus::ALL
        .into_iter()
        .map(|s| Choice::new(s.as_str(), view::equipment_status_label(t, s), current))
        .collect()
}

#[derive(Template)]
#[template(path = "equipment/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<EquipmentRow>,
    pager: Pager,
    kinds: Vec<Choice>,
    locations: Vec<Choice>,
    statuses: Vec<Choice>,
    q: String,
    only_open: bool,
    /// The location filter, for labels of that place.
    location: String,
}

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(f): Query<EquipmentFilters>,
) -> Result<Response, WebError> {
    let actor = &session.actor;
    let number = page_number(f.page.as_deref());
    let filter = EquipmentFilter {
        kind: given(&f.kind).map(str::to_string),
        location: given(&f.location).map(str::to_string),
        status: given(&f.status).map(str::to_string),
        search: given(&f.q).map(str::to_string),
        has_open_tickets: (f.open == "1").then_some(true),
        ..EquipmentFilter::default()
    };
    let equipment = service.equipment();
    let mut items = equipment
        .list(
            actor,
            filter,
            None,
            Page {
                offset: Pager::offset(number),
                limit: PAGE_SIZE + 1,
            },
        )
        .await?;
    let has_more = items.len() as u64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    let (kinds, locations) = equipment.held_values(actor).await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    page(&ListPage {
        rows: items
            .into_iter()
            .map(|e| EquipmentRow {
                id: e.id.0,
                name: e.name,
                kind: e.kind.unwrap_or_default(),
                model: e.model.unwrap_or_default(),
                inventory: e.inventory_number.unwrap_or_default(),
                location: e.location.unwrap_or_default(),
                status: e.status.as_str(),
                status_label: view::equipment_status_label(t, e.status),
            })
            .collect(),
        pager: Pager::new("/ui/equipment", &f, number, None, has_more),
        kinds: kinds
            .into_iter()
            .map(|k| Choice::new(k.clone(), k, &f.kind))
            .collect(),
        locations: locations
            .into_iter()
            .map(|k| Choice::new(k.clone(), k, &f.location))
            .collect(),
        statuses: equipment_status_choices(t, &f.status),
        only_open: f.open == "1",
        location: f.location.clone(),
        q: f.q.clone(),
        l,
    })
}

#[derive(Debug)]
pub struct MaintenanceRow {
    pub kind: &'static str,
    pub description: String,
    pub at: When,
    /// Parts, cost and downtime, where given.
    pub extra: String,
}

#[derive(Template)]
#[template(path = "equipment/detail.html")]
struct DetailPage {
    l: Layout,
    id: i64,
    facts: Vec<(&'static str, String)>,
    name: String,
    status: &'static str,
    status_label: &'static str,
    history: Vec<MaintenanceRow>,
    rows: Vec<TicketRow>,
    /// The shared ticket table's options: no sorting or selecting here.
    sort: Option<SortLinks>,
    bulk: bool,
    kinds: Vec<Choice>,
    schedules: Vec<ScheduleRow>,
    units: Vec<Choice>,
    /// The item belongs to a category (a schedule may cover the whole category).
    has_category: bool,
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let actor = &session.actor;
    let equipment = service.equipment();
    let item = equipment.get(actor, EquipmentId(id)).await?;
    let history = equipment.history(actor, item.id).await?;
    let tickets = equipment
        .tickets(actor, item.id, TicketQuery::default())
        .await?;
    let names = category_names(service, actor).await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let schedules = schedules::for_item(service, &session, t, item.id, item.category_id).await?;
    let text = |v: Option<String>| v.unwrap_or_default();
    page(&DetailPage {
        schedules,
        units: schedules::unit_choices(t),
        has_category: item.category_id.is_some(),
        id,
        facts: vec![
            (t.asset_tag, item.asset_tag()),
            (t.equipment_type, text(item.kind.clone())),
            (t.model, text(item.model)),
            (t.serial_number, text(item.serial_number)),
            (t.inventory_number, text(item.inventory_number)),
            (t.location, text(item.location)),
            (t.responsible_person, text(item.responsible_person)),
            (
                t.last_maintenance,
                item.last_maintenance_date
                    .as_ref()
                    .map(|d| l.clock.exact(d))
                    .unwrap_or_default(),
            ),
            (t.notes, text(item.notes)),
        ],
        status: item.status.as_str(),
        status_label: view::equipment_status_label(t, item.status),
        history: history
            .into_iter()
            .map(|m| MaintenanceRow {
                kind: view::maintenance_label(t, m.kind),
                description: m.description,
                at: l.clock.when(&m.performed_at),
                extra: [
                    m.work.parts.clone(),
                    m.work.cost.as_ref().map(ToString::to_string),
                    m.work
                        .downtime_minutes
                        .map(|d| format!("{d} {}", t.minutes_short)),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            })
            .collect(),
        sort: None,
        bulk: false,
        rows: crate::pages::tickets::rows(&l, &tickets.items, &names),
        kinds: MaintenanceKind::ALL
            .into_iter()
            .map(|k| Choice::new(k.as_str(), view::maintenance_label(t, k), "maintenance"))
            .collect(),
        name: item.name,
        l,
    })
}

#[derive(Debug, Deserialize)]
pub struct MaintenanceForm {
    #[serde(default)]
    csrf: String,
    kind: String,
    description: String,
    #[serde(default)]
    parts: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    downtime_minutes: String,
}

impl MaintenanceForm {
    /// Parts, cost and downtime as typed (each may be left empty).
    fn work(&self) -> Result<MaintenanceWork, fixdesk_usecases::ServiceError> {
        let cost = match given(&self.cost) {
            Some(amount) => Some(Money::parse(amount, &self.currency).map_err(invalid)?),
            None => None,
        };
        let downtime_minutes = match given(&self.downtime_minutes) {
            Some(raw) => Some(raw.parse::<i64>().ok().filter(|m| *m >= 0).ok_or_else(|| {
                invalid(FieldError::new(
                    "downtime_minutes",
                    "int_parsing",
                    "Minutes, a whole number",
                ))
            })?),
            None => None,
        };
        Ok(MaintenanceWork {
            parts: given(&self.parts).map(str::to_string),
            cost,
            downtime_minutes,
        })
    }
}

#[handler]
pub async fn add_maintenance(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<MaintenanceForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let back = format!("/ui/equipment/{id}");
    let kind: MaintenanceKind = form
        .kind
        .parse()
        .map_err(|e| WebError::back(&back)(invalid(e)))?;
    let work = form.work().map_err(WebError::back(&back))?;
    service
        .equipment()
        .add_maintenance(
            &session.actor,
            EquipmentId(id),
            NewMaintenance {
                kind,
                description: form.description,
                performed_at: None,
                work,
            },
            &session.client,
        )
        .await
        .map_err(WebError::back(&back))?;
    Ok(done(req, session.lang.texts().maintenance_recorded, &back))
}
