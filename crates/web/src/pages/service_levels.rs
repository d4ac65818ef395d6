//! Service levels (admins): the business calendars and the policies on them, listed, added and
//! deleted. Changing one is deleting and adding again here (the API also replaces in place);
//! the service counts open tickets' due times again after every change.

use askama::Template;
use fixdesk_usecases::domain::{
    CategoryId, DomainError, Page, Priority, UserId,
    sla::{CalendarDraft, CalendarId, Escalation, PolicyDraft, PolicyId},
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    form::{checked, parse_opt},
    layout::{Layout, page},
    pages::{account::zone_choices, assignees, auth::CsrfOnly},
    session::Session,
    view::{self, Choice},
};

const PAGE: &str = "/ui/service-levels";

#[derive(Debug)]
pub struct CalendarRow {
    pub id: i64,
    pub name: String,
    pub zone: String,
    /// Each weekday with its hours, "—" for a day off.
    pub week: Vec<(&'static str, String)>,
    pub holidays: String,
}

#[derive(Debug)]
pub struct PolicyRow {
    pub id: i64,
    pub name: String,
    pub applies_to: String,
    pub calendar: String,
    pub first_response: i64,
    pub resolution: i64,
    pub escalation: String,
}

#[derive(Template)]
#[template(path = "service_levels.html")]
struct LevelsPage {
    l: Layout,
    calendars: Vec<CalendarRow>,
    policies: Vec<PolicyRow>,
    zones: Vec<Choice>,
    calendar_choices: Vec<Choice>,
    categories: Vec<Choice>,
    priorities: Vec<Choice>,
    /// Whom a late ticket may be handed to: nobody (keep), then each staff member.
    reassign_choices: Vec<Choice>,
    days: [(&'static str, &'static str); 7],
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    session.require_admin()?;
    let actor = &session.actor;
    let levels = service.service_levels();
    let calendars = levels.calendars(actor).await?;
    let policies = levels.policies(actor).await?;
    let categories = service
        .categories()
        .list(actor, true, Page::new(0, Page::MAX_LIMIT as i64))
        .await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let days = [
        ("mon", t.day_mon),
        ("tue", t.day_tue),
        ("wed", t.day_wed),
        ("thu", t.day_thu),
        ("fri", t.day_fri),
        ("sat", t.day_sat),
        ("sun", t.day_sun),
    ];
    let mut reassign_choices = assignees::choices(service, actor, t, "").await?;
    if let Some(nobody) = reassign_choices.first_mut() {
        nobody.label = t.escalate_keep.to_string();
    }
    let calendar_name = |id: CalendarId| {
        calendars
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let category_name = |id: CategoryId| {
        categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let policy_rows = policies
        .iter()
        .map(|p| {
            let mut applies = Vec::new();
            if let Some(c) = p.category_id {
                applies.push(category_name(c));
            }
            if let Some(pr) = p.priority {
                applies.push(view::priority_label(t, pr).to_string());
            }
            let mut escalation = Vec::new();
            if p.escalation.raise_priority {
                escalation.push(t.escalate_raise.to_string());
            }
            if let Some(u) = p.escalation.reassign_to {
                let who = reassign_choices
                    .iter()
                    .find(|c| c.value == u.to_string())
                    .map_or_else(|| format!("#{u}"), |c| c.label.clone());
                escalation.push(format!("{} {who}", t.escalate_reassign));
            }
            PolicyRow {
                id: p.id.0,
                name: p.name.clone(),
                applies_to: if applies.is_empty() {
                    t.policy_default.to_string()
                } else {
                    applies.join(" · ")
                },
                calendar: calendar_name(p.calendar_id),
                first_response: p.first_response_minutes,
                resolution: p.resolution_minutes,
                escalation: escalation.join(", "),
            }
        })
        .collect();
    page(&LevelsPage {
        calendar_choices: calendars
            .iter()
            .map(|c| Choice::new(c.id.0.to_string(), c.name.clone(), ""))
            .collect(),
        calendars: calendars
            .iter()
            .map(|c| CalendarRow {
                id: c.id.0,
                name: c.name.clone(),
                zone: c.calendar.zone.name().to_string(),
                week: days
                    .iter()
                    .zip(c.calendar.week)
                    .map(|((_, label), h)| (*label, h.map_or("—".into(), |h| h.to_text())))
                    .collect(),
                holidays: c
                    .calendar
                    .holidays
                    .iter()
                    .map(|h| h.to_text())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        policies: policy_rows,
        zones: zone_choices(l.clock.zone.name()),
        categories: categories
            .iter()
            .map(|c| Choice::new(c.id.0.to_string(), c.name.clone(), ""))
            .collect(),
        priorities: view::priority_choices(t, ""),
        reassign_choices,
        days,
        l,
    })
}

/// A new calendar: name, zone, hours per weekday (empty: a day off), holidays separated by
/// commas or lines.
#[derive(Debug, Deserialize)]
pub struct CalendarForm {
    #[serde(default)]
    csrf: String,
    name: String,
    time_zone: String,
    #[serde(default)]
    mon: String,
    #[serde(default)]
    tue: String,
    #[serde(default)]
    wed: String,
    #[serde(default)]
    thu: String,
    #[serde(default)]
    fri: String,
    #[serde(default)]
    sat: String,
    #[serde(default)]
    sun: String,
    #[serde(default)]
    holidays: String,
}

impl CalendarForm {
    fn draft(&self) -> Result<CalendarDraft, DomainError> {
        let week: Vec<Option<String>> = [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
        .into_iter()
        .map(|d| Some(d.clone()).filter(|d| !d.trim().is_empty()))
        .collect();
        let holidays: Vec<String> = self
            .holidays
            .split([',', '\n'])
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_string)
            .collect();
        CalendarDraft::parse(&self.name, &self.time_zone, &week, &holidays)
    }
}

#[handler]
pub async fn add_calendar(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<CalendarForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let draft = form.draft().map_err(|e| WebError::back(PAGE)(e.into()))?;
    let adding = service
        .service_levels()
        .create_calendar(&session.actor, draft, &session.client);
    session
        .act_on_page(req, &form.csrf, PAGE, session.lang.texts().saved, adding)
        .await
}

#[derive(Debug, Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    csrf: String,
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    priority: String,
    calendar: String,
    first_response_minutes: String,
    resolution_minutes: String,
    #[serde(default)]
    raise_priority: Option<String>,
    #[serde(default)]
    reassign_to: String,
}

impl PolicyForm {
    fn draft(&self) -> Result<PolicyDraft, WebError> {
        let minutes = |field: &'static str, raw: &str| {
            raw.trim()
                .parse::<i64>()
                .map_err(|_| WebError::BadForm(field.into()))
        };
        Ok(PolicyDraft {
            name: self.name.clone(),
            category_id: parse_opt::<i64>("category", &self.category)?.map(CategoryId),
            priority: parse_opt::<Priority>("priority", &self.priority)?,
            calendar_id: CalendarId(minutes("calendar", &self.calendar)?),
            first_response_minutes: minutes(
                "first_response_minutes",
                &self.first_response_minutes,
            )?,
            resolution_minutes: minutes("resolution_minutes", &self.resolution_minutes)?,
            escalation: Escalation {
                raise_priority: checked(&self.raise_priority),
                reassign_to: parse_opt::<i64>("reassign_to", &self.reassign_to)?.map(UserId),
            },
        })
    }
}

#[handler]
pub async fn add_policy(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<PolicyForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let draft = form.draft()?;
    let adding = service
        .service_levels()
        .create_policy(&session.actor, draft, &session.client);
    session
        .act_on_page(req, &form.csrf, PAGE, session.lang.texts().saved, adding)
        .await
}

/// Deletes a calendar (`calendars`, refused while a policy uses it) or a policy (`policies`).
#[handler]
pub async fn delete(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path((kind, id)): Path<(String, i64)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let (levels, actor, client) = (service.service_levels(), &session.actor, &session.client);
    let deleting = async {
        match kind.as_str() {
            "calendars" => levels.delete_calendar(actor, CalendarId(id), client).await,
            "policies" => levels.delete_policy(actor, PolicyId(id), client).await,
            _ => Err(DomainError::PolicyNotFound.into()),
        }
    };
    let deleted = session.lang.texts().deleted;
    session
        .act_on_page(req, &form.csrf, PAGE, deleted, deleting)
        .await
}
