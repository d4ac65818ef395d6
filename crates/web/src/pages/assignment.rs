//! Fair assignment in the browser: admins set each category's group (round robin or least
//! open) and switch it on or off; staff record when they are away (admins for anyone), so the
//! rules pass them over.

use askama::Template;
use chrono::NaiveDate;
use fixdesk_usecases::{
    ServiceError,
    domain::{
        CategoryId, DomainError, FieldError, Page, UserId,
        assignment::{AssignmentRule, NewAbsence, RuleDraft, RuleId, Strategy},
    },
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    form::{checked, invalid},
    i18n::Texts,
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
    view::Choice,
};

const PAGE: &str = "/ui/assignment";

#[derive(Debug)]
pub struct RuleRow {
    pub id: i64,
    pub category: String,
    pub strategy: &'static str,
    pub agents: String,
    pub enabled: bool,
}

#[derive(Debug)]
pub struct AbsenceRow {
    pub id: i64,
    pub user_id: i64,
    pub who: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: String,
}

#[derive(Template)]
#[template(path = "assignment.html")]
struct AssignmentPage {
    l: Layout,
    rules: Vec<RuleRow>,
    absences: Vec<AbsenceRow>,
    /// Categories that have no rule yet (a category has at most one).
    free_categories: Vec<Choice>,
    strategies: Vec<Choice>,
    /// Every active staff member, for a rule's group and (admins) whose absence.
    staff: Vec<Choice>,
    today: NaiveDate,
}

fn strategy_label(t: &Texts, s: Strategy) -> &'static str {
    match s {
        Strategy::RoundRobin => t.round_robin,
        Strategy::LeastOpen => t.least_open,
    }
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    session.require_staff()?;
    let actor = &session.actor;
    let assignment = service.assignment();
    let rules = assignment.rules(actor).await?;
    let categories = service
        .categories()
        .list(actor, true, Page::new(0, Page::MAX_LIMIT as i64))
        .await?;
    let staff: Vec<(UserId, String)> = service
        .users()
        .directory(actor)
        .await?
        .into_iter()
        .filter(|u| u.role.is_staff())
        .map(|u| (u.id, u.full_name.unwrap_or(u.username)))
        .collect();
    let name_of = |id: UserId| {
        staff
            .iter()
            .find(|(u, _)| *u == id)
            .map_or_else(|| format!("#{}", id.0), |(_, n)| n.clone())
    };
    // Admins see everyone's absences, an agent their own.
    let whose: Vec<UserId> = if session.actor.role == fixdesk_usecases::domain::Role::Admin {
        staff.iter().map(|(u, _)| *u).collect()
    } else {
        vec![actor.id]
    };
    let mut absences = Vec::new();
    for user in whose {
        for a in assignment.absences(actor, user).await? {
            absences.push(AbsenceRow {
                id: a.id,
                user_id: a.user_id.0,
                who: name_of(a.user_id),
                starts_on: a.starts_on,
                ends_on: a.ends_on,
                note: a.note.unwrap_or_default(),
            });
        }
    }
    absences.sort_by_key(|a| (a.starts_on, a.id));
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let rule_rows = rules
        .iter()
        .map(|r: &AssignmentRule| RuleRow {
            id: r.id.0,
            category: categories
                .iter()
                .find(|c| c.id == r.category_id)
                .map_or_else(String::new, |c| c.name.clone()),
            strategy: strategy_label(t, r.strategy),
            agents: r
                .agents
                .iter()
                .map(|a| name_of(*a))
                .collect::<Vec<_>>()
                .join(", "),
            enabled: r.enabled,
        })
        .collect();
    page(&AssignmentPage {
        rules: rule_rows,
        absences,
        free_categories: categories
            .iter()
            .filter(|c| !rules.iter().any(|r| r.category_id == c.id))
            .map(|c| Choice::new(c.id.0.to_string(), c.name.clone(), ""))
            .collect(),
        strategies: [Strategy::RoundRobin, Strategy::LeastOpen]
            .into_iter()
            .map(|s| Choice::new(s.as_str(), strategy_label(t, s), ""))
            .collect(),
        staff: staff
            .iter()
            .map(|(id, name)| Choice::new(id.0.to_string(), name.clone(), ""))
            .collect(),
        today: l.clock.local(&l.clock.now()).date_naive(),
        l,
    })
}

/// A new rule: its fields and the repeated `agents` of the group, in the page's order.
#[derive(Debug, Default)]
struct RuleForm {
    csrf: String,
    category: String,
    strategy: String,
    agents: Vec<String>,
    enabled: Option<String>,
}

impl RuleForm {
    fn parse(body: &str) -> Result<Self, WebError> {
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(body)
            .map_err(|_| WebError::BadForm("rule".into()))?;
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "category" => form.category = value,
                "strategy" => form.strategy = value,
                "agents" => form.agents.push(value),
                "enabled" => form.enabled = Some(value),
                _ => {}
            }
        }
        Ok(form)
    }

    fn draft(&self) -> Result<RuleDraft, ServiceError> {
        let category = self.category.trim().parse::<i64>().map_err(|_| {
            invalid(FieldError::new(
                "category_id",
                "missing",
                "Choose a category",
            ))
        })?;
        let agents = self
            .agents
            .iter()
            .map(|a| a.parse::<i64>().map(UserId))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid(FieldError::new("agent_ids", "int_parsing", "Unknown agent")))?;
        Ok(RuleDraft {
            category_id: CategoryId(category),
            strategy: Strategy::parse(&self.strategy).map_err(invalid)?,
            agents,
            enabled: checked(&self.enabled),
        })
    }
}

#[handler]
pub async fn add_rule(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    body: String,
) -> Result<Response, WebError> {
    let form = RuleForm::parse(&body)?;
    let adding = async {
        let draft = form.draft()?;
        service
            .assignment()
            .create_rule(&session.actor, draft, &session.client)
            .await
    };
    let saved = session.lang.texts().saved;
    session
        .act_on_page(req, &form.csrf, PAGE, saved, adding)
        .await
}

/// Switches a rule on or off, keeping its group and strategy.
#[handler]
pub async fn toggle_rule(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let (assignment, actor) = (service.assignment(), &session.actor);
    let toggling = async {
        let rule = assignment
            .rules(actor)
            .await?
            .into_iter()
            .find(|r| r.id == RuleId(id))
            .ok_or(DomainError::RuleNotFound)?;
        let draft = RuleDraft {
            category_id: rule.category_id,
            strategy: rule.strategy,
            agents: rule.agents,
            enabled: !rule.enabled,
        };
        assignment
            .update_rule(actor, rule.id, draft, &session.client)
            .await
    };
    let saved = session.lang.texts().saved;
    session
        .act_on_page(req, &form.csrf, PAGE, saved, toggling)
        .await
}

#[handler]
pub async fn delete_rule(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let deleting = service
        .assignment()
        .delete_rule(&session.actor, RuleId(id), &session.client);
    let deleted = session.lang.texts().deleted;
    session
        .act_on_page(req, &form.csrf, PAGE, deleted, deleting)
        .await
}

/// An absence: whose (admins choose; anyone else is themself), both days included, a note.
#[derive(Debug, Deserialize)]
pub struct AbsenceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user: String,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    note: String,
}

impl AbsenceForm {
    fn absence(&self) -> Result<NewAbsence, ServiceError> {
        let day = |field: &'static str, raw: &str| {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
                invalid(FieldError::new(
                    field,
                    "date_parsing",
                    "A date (YYYY-MM-DD)",
                ))
            })
        };
        Ok(NewAbsence::new(
            day("starts_on", &self.starts_on)?,
            day("ends_on", &self.ends_on)?,
            Some(&self.note),
        )?)
    }
}

#[handler]
pub async fn add_absence(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<AbsenceForm>,
) -> Result<Response, WebError> {
    let user = form
        .user
        .trim()
        .parse::<i64>()
        .map_or(session.actor.id, UserId);
    let adding = async {
        let absence = form.absence()?;
        service
            .assignment()
            .add_absence(&session.actor, user, absence, &session.client)
            .await
    };
    let saved = session.lang.texts().saved;
    session
        .act_on_page(req, &form.csrf, PAGE, saved, adding)
        .await
}

#[handler]
pub async fn remove_absence(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path((user, id)): Path<(i64, i64)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let removing =
        service
            .assignment()
            .remove_absence(&session.actor, UserId(user), id, &session.client);
    let deleted = session.lang.texts().deleted;
    session
        .act_on_page(req, &form.csrf, PAGE, deleted, removing)
        .await
}
