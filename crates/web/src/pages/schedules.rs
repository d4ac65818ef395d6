//! Preventive maintenance on an item's page: the schedules that service it (its own and its
//! category's) with the next due date, and (admins) adding one for the item or its whole
//! category, or deleting one.

use chrono::NaiveDate;
use fixdesk_usecases::{
    ServiceError,
    domain::{
        EquipmentId, FieldError,
        preventive::{Period, Schedule, ScheduleDraft, ScheduleId, YearDays},
    },
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{
    Service, WebError, form::invalid, i18n::Texts, pages::auth::CsrfOnly, session::Session,
    view::Choice,
};

/// A schedule as its item's page lists it.
#[derive(Debug)]
pub struct ScheduleRow {
    pub id: i64,
    pub title: String,
    pub rhythm: String,
    pub next_due: String,
    pub for_category: bool,
}

fn unit_label(t: &Texts, p: Period) -> &'static str {
    match p {
        Period::Days(_) => t.unit_days,
        Period::Weeks(_) => t.unit_weeks,
        Period::Months(_) => t.unit_months,
        Period::Dates(_) => t.unit_dates,
    }
}

pub fn unit_choices(t: &Texts) -> Vec<Choice> {
    [
        ("days", t.unit_days),
        ("weeks", t.unit_weeks),
        ("months", t.unit_months),
        ("dates", t.unit_dates),
    ]
    .into_iter()
    .map(|(unit, label)| Choice::new(unit, label, "months"))
    .collect()
}

/// "every 3 months · from 2027-01-15", or "on 03-01, 09-15 · from 2027-01-15".
pub fn rhythm(t: &Texts, s: &Schedule) -> String {
    let how = match s.period {
        Period::Dates(days) => format!("{} {}", t.on_dates, days.to_list().join(", ")),
        p => format!("{} {} {}", t.every, p.count(), unit_label(t, p)),
    };
    format!("{how} · {} {}", t.from_day, s.starts_on)
}

/// The schedules servicing `item` (in `category`), with their next due dates.
pub async fn for_item(
    service: &Service,
    session: &Session,
    t: &Texts,
    item: EquipmentId,
    category: Option<fixdesk_usecases::domain::CategoryId>,
) -> Result<Vec<ScheduleRow>, WebError> {
    if !session.actor.role.is_staff() {
        return Ok(Vec::new());
    }
    let preventive = service.preventive();
    let due = preventive.due(&session.actor, 3660).await?;
    Ok(preventive
        .schedules(&session.actor)
        .await?
        .into_iter()
        .filter(|s| {
            s.equipment_id == Some(item)
                || (s.equipment_id.is_none()
                    && s.category_id.is_some()
                    && s.category_id == category)
        })
        .map(|s: Schedule| ScheduleRow {
            next_due: due
                .iter()
                .find(|d| d.schedule_id == s.id && d.equipment_id == item)
                .map(|d| d.next_due.to_string())
                .unwrap_or_default(),
            rhythm: rhythm(t, &s),
            for_category: s.equipment_id.is_none(),
            id: s.id.0,
            title: s.title,
        })
        .collect())
}

#[derive(Debug, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    csrf: String,
    title: String,
    #[serde(default)]
    every: String,
    unit: String,
    /// With `unit` `dates`: `03-01, 09-15`.
    #[serde(default)]
    dates: String,
    starts_on: String,
    #[serde(default)]
    lead_days: String,
    #[serde(default)]
    checklist: String,
    /// `category`: every item of the item's category; anything else: this item.
    #[serde(default)]
    scope: String,
}

impl ScheduleForm {
    fn draft(
        &self,
        item: EquipmentId,
        category: Option<fixdesk_usecases::domain::CategoryId>,
    ) -> Result<ScheduleDraft, ServiceError> {
        let period = if self.unit == "dates" {
            let dates: Vec<String> = self.dates.split([',', ' ']).map(str::to_string).collect();
            YearDays::parse(&dates).map(Period::Dates)
        } else {
            Period::parse(&self.unit, self.every.trim().parse::<i64>().unwrap_or(0))
        }
        .map_err(invalid)?;
        let starts_on =
            NaiveDate::parse_from_str(self.starts_on.trim(), "%Y-%m-%d").map_err(|_| {
                invalid(FieldError::new(
                    "starts_on",
                    "date_parsing",
                    "A date, YYYY-MM-DD",
                ))
            })?;
        let lead_days = match self.lead_days.trim() {
            "" => 0,
            raw => raw.parse().map_err(|_| {
                invalid(FieldError::new(
                    "lead_days",
                    "int_parsing",
                    "A number of days",
                ))
            })?,
        };
        let whole_category = self.scope == "category" && category.is_some();
        Ok(ScheduleDraft {
            title: self.title.clone(),
            equipment_id: (!whole_category).then_some(item),
            category_id: if whole_category { category } else { None },
            checklist: self.checklist.lines().map(str::to_string).collect(),
            period,
            starts_on,
            lead_days,
            enabled: true,
        })
    }
}

#[handler]
pub async fn add(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, WebError> {
    let page = format!("/ui/equipment/{id}");
    let adding = async {
        let item = service
            .equipment()
            .get(&session.actor, EquipmentId(id))
            .await?;
        let draft = form.draft(item.id, item.category_id)?;
        service
            .preventive()
            .create(&session.actor, draft, &session.client)
            .await
    };
    let saved = session.lang.texts().saved;
    session
        .act_on_page(req, &form.csrf, &page, saved, adding)
        .await
}

#[handler]
pub async fn delete(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path((id, schedule)): Path<(i64, i64)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let page = format!("/ui/equipment/{id}");
    let deleting =
        service
            .preventive()
            .delete(&session.actor, ScheduleId(schedule), &session.client);
    let deleted = session.lang.texts().deleted;
    session
        .act_on_page(req, &form.csrf, &page, deleted, deleting)
        .await
}
