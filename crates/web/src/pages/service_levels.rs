//! Service levels (admins): the business calendars and the policies on them, listed, added,
//! corrected in place (`?calendar=ID`, `?policy=ID` open the form filled in) and deleted;
//! targets are typed and shown in hours and minutes. The service counts open tickets' due
//! times again after every change.

use askama::Template;
use fixdesk_usecases::domain::{
    CategoryId, DomainError, Page, Priority, UserId,
    sla::{CalendarDraft, CalendarId, Escalation, PolicyDraft, PolicyId},
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path, Query},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    durations::span,
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
    /// The targets in words ("4 h 00 min").
    pub first_response: String,
    pub resolution: String,
    pub escalation: String,
}

/// What the calendar form holds: a new calendar's defaults, or the one being corrected.
#[derive(Debug)]
pub struct CalendarValues {
    /// Where the form is sent (`/ui/service-levels/calendars[/ID]`).
    pub action: String,
    pub editing: bool,
    pub name: String,
    /// Each weekday: (field, label, hours).
    pub week: Vec<(&'static str, &'static str, String)>,
    pub holidays: String,
}

/// What the policy form holds; targets split into hours and minutes.
#[derive(Debug)]
pub struct PolicyValues {
    pub action: String,
    pub editing: bool,
    pub name: String,
    pub first_response: (i64, i64),
    pub resolution: (i64, i64),
    pub raise: bool,
}

/// `?calendar=ID` or `?policy=ID`: that one's form, filled in, instead of the new one's.
#[derive(Debug, Default, Deserialize)]
pub struct Editing {
    #[serde(default)]
    calendar: Option<i64>,
    #[serde(default)]
    policy: Option<i64>,
}

fn hours_and_minutes(minutes: i64) -> (i64, i64) {
    (minutes / 60, minutes % 60)
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
    calendar_form: CalendarValues,
    policy_form: PolicyValues,
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(editing): Query<Editing>,
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
    let edited_calendar = editing
        .calendar
        .and_then(|id| calendars.iter().find(|c| c.id.0 == id));
    let edited_policy = editing
        .policy
        .and_then(|id| policies.iter().find(|p| p.id.0 == id));
    let reassigned = edited_policy
        .and_then(|p| p.escalation.reassign_to)
        .map(|u| u.to_string())
        .unwrap_or_default();
    let mut reassign_choices = assignees::choices(service, actor, t, &reassigned).await?;
    if let Some(nobody) = reassign_choices.first_mut() {
        nobody.label = t.escalate_keep.to_string();
    }
    let calendar_form = match edited_calendar {
        Some(c) => CalendarValues {
            action: format!("{PAGE}/calendars/{}", c.id.0),
            editing: true,
            name: c.name.clone(),
            week: days
                .iter()
                .zip(c.calendar.week)
                .map(|((key, label), h)| (*key, *label, h.map(|h| h.to_text()).unwrap_or_default()))
                .collect(),
            holidays: c
                .calendar
                .holidays
                .iter()
                .map(|h| h.to_text())
                .collect::<Vec<_>>()
                .join(", "),
        },
        None => CalendarValues {
            action: format!("{PAGE}/calendars"),
            editing: false,
            name: String::new(),
            week: days
                .iter()
                .enumerate()
                .map(|(i, (key, label))| {
                    let hours = if i < 5 { "09:00-18:00" } else { "" };
                    (*key, *label, hours.to_string())
                })
                .collect(),
            holidays: String::new(),
        },
    };
    let policy_form = match edited_policy {
        Some(p) => PolicyValues {
            action: format!("{PAGE}/policies/{}", p.id.0),
            editing: true,
            name: p.name.clone(),
            first_response: hours_and_minutes(p.first_response_minutes),
            resolution: hours_and_minutes(p.resolution_minutes),
            raise: p.escalation.raise_priority,
        },
        None => PolicyValues {
            action: format!("{PAGE}/policies"),
            editing: false,
            name: String::new(),
            first_response: (4, 0),
            resolution: (24, 0),
            raise: false,
        },
    };
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
                first_response: span(t, p.first_response_minutes),
                resolution: span(t, p.resolution_minutes),
                escalation: escalation.join(", "),
            }
        })
        .collect();
    let chosen = |id: Option<i64>| id.map(|i| i.to_string()).unwrap_or_default();
    let zone = edited_calendar.map_or_else(
        || l.clock.zone.name().to_string(),
        |c| c.calendar.zone.name().to_string(),
    );
    page(&LevelsPage {
        calendar_choices: calendars
            .iter()
            .map(|c| {
                let current = chosen(edited_policy.map(|p| p.calendar_id.0));
                Choice::new(c.id.0.to_string(), c.name.clone(), &current)
            })
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
        zones: zone_choices(&zone),
        categories: categories
            .iter()
            .map(|c| {
                let current = chosen(edited_policy.and_then(|p| p.category_id).map(|c| c.0));
                Choice::new(c.id.0.to_string(), c.name.clone(), &current)
            })
            .collect(),
        priorities: view::priority_choices(
            t,
            edited_policy
                .and_then(|p| p.priority)
                .map_or("", |p| p.as_str()),
        ),
        reassign_choices,
        calendar_form,
        policy_form,
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
    #[serde(default)]
    first_response_hours: String,
    #[serde(default)]
    first_response_mins: String,
    #[serde(default)]
    resolution_hours: String,
    #[serde(default)]
    resolution_mins: String,
    #[serde(default)]
    raise_priority: Option<String>,
    #[serde(default)]
    reassign_to: String,
}

/// A target typed as hours and minutes (either may be blank) in minutes.
fn target(field: &'static str, hours: &str, minutes: &str) -> Result<i64, WebError> {
    let h = parse_opt::<i64>(field, hours)?.unwrap_or(0);
    let m = parse_opt::<i64>(field, minutes)?.unwrap_or(0);
    h.checked_mul(60)
        .and_then(|h| h.checked_add(m))
        .ok_or_else(|| WebError::BadForm(field.into()))
}

impl PolicyForm {
    fn draft(&self) -> Result<PolicyDraft, WebError> {
        Ok(PolicyDraft {
            name: self.name.clone(),
            category_id: parse_opt::<i64>("category", &self.category)?.map(CategoryId),
            priority: parse_opt::<Priority>("priority", &self.priority)?,
            calendar_id: CalendarId(
                parse_opt::<i64>("calendar", &self.calendar)?
                    .ok_or_else(|| WebError::BadForm("calendar".into()))?,
            ),
            first_response_minutes: target(
                "first_response",
                &self.first_response_hours,
                &self.first_response_mins,
            )?,
            resolution_minutes: target(
                "resolution",
                &self.resolution_hours,
                &self.resolution_mins,
            )?,
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

/// Corrects a calendar in place (its open tickets' due times are counted again).
#[handler]
pub async fn update_calendar(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CalendarForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let back = format!("{PAGE}?calendar={id}");
    let draft = form
        .draft()
        .map_err(|e| WebError::back(back.clone())(e.into()))?;
    let saving = service.service_levels().update_calendar(
        &session.actor,
        CalendarId(id),
        draft,
        &session.client,
    );
    session.act(&form.csrf, back, saving).await?;
    Ok(crate::flash::done(req, session.lang.texts().saved, PAGE))
}

/// Corrects a policy in place.
#[handler]
pub async fn update_policy(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<PolicyForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let draft = form.draft()?;
    let saving = service.service_levels().update_policy(
        &session.actor,
        PolicyId(id),
        draft,
        &session.client,
    );
    session
        .act(&form.csrf, format!("{PAGE}?policy={id}"), saving)
        .await?;
    Ok(crate::flash::done(req, session.lang.texts().saved, PAGE))
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
