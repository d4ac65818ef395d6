//! The statistics dashboard (admins): ticket flow per period, the status and priority mix,
//! agent performance and the most active users, drawn as bar charts in SVG on the server (no
//! chart library, nothing to load). Every figure comes from the service's counters.

use askama::Template;
use fixdesk_usecases::domain::{
    StatsPeriod,
    sla::statistics::{ClockStats, GroupCompliance},
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Query},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    durations::spoken,
    flash::done,
    i18n::Texts,
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
    view,
};

/// One bar of a chart: its label, value and length relative to the chart's largest.
#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub percent: f64,
    pub class: &'static str,
}

/// Bars scaled so the largest fills the chart.
fn bars(items: impl IntoIterator<Item = (String, i64, &'static str)>) -> Vec<Bar> {
    let items: Vec<_> = items.into_iter().collect();
    let max = items.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
    items
        .into_iter()
        .map(|(label, value, class)| Bar {
            percent: (value as f64 * 100.0 / max as f64).clamp(0.0, 100.0),
            label,
            value,
            class,
        })
        .collect()
}

#[derive(Debug)]
pub struct Flow {
    pub period: &'static str,
    pub bars: Vec<Bar>,
    pub rate: String,
}

#[derive(Debug)]
pub struct AgentRow {
    pub name: String,
    pub assigned: i64,
    pub resolved: i64,
    pub rate: String,
    pub hours: String,
}

/// Service-level compliance of one agent or category, or of the whole desk.
#[derive(Debug)]
pub struct ComplianceRow {
    pub name: String,
    pub first_response: String,
    pub resolution: String,
}

/// "83% of 12", or a dash with nothing stopped.
fn compliance(c: &ClockStats) -> String {
    match c.compliance_percent() {
        Some(p) => format!("{p:.0}% ({} / {})", c.met, c.stopped),
        None => "—".into(),
    }
}

/// "≤ 2 h 00 min" from a bucket's upper bound in minutes.
fn at_most(t: &Texts, minutes: Option<i64>) -> String {
    match minutes {
        Some(m) => format!("≤ {}", spoken(t, m)),
        None => "—".into(),
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
struct Dashboard {
    l: Layout,
    total: i64,
    avg_hours: String,
    statuses: Vec<Bar>,
    priorities: Vec<Bar>,
    flows: Vec<Flow>,
    agents: Vec<AgentRow>,
    agent_bars: Vec<Bar>,
    users: Vec<Bar>,
    days: u32,
    /// The desk's compliance, then per agent and per category (empty without service levels).
    sla: Vec<ComplianceRow>,
    sla_by_agent: Vec<ComplianceRow>,
    sla_by_category: Vec<ComplianceRow>,
    /// Median and 90th percentile: (first response, resolution).
    sla_times: [(String, String); 2],
    /// The periods the agents' and service-level figures can cover: (days, words).
    periods: Vec<(u32, String)>,
}

/// The periods offered, in days.
const PERIODS: [u32; 4] = [7, 30, 90, 365];

#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    days: Option<u32>,
}

/// An average in hours as a duration in words ("12 min", "1 d 3 h"), never "0.0".
fn hours(t: &Texts, h: Option<f64>) -> String {
    h.map(|h| spoken(t, (h * 60.0).round() as i64))
        .unwrap_or_else(|| "—".into())
}

fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

#[handler]
pub async fn dashboard(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    let actor = &session.actor;
    let stats = service.statistics();
    let days = q.days.unwrap_or(30).clamp(1, 3650);
    let summary = stats.summary(actor).await?;
    let mut periods = Vec::new();
    for period in [
        StatsPeriod::Day,
        StatsPeriod::Week,
        StatsPeriod::Month,
        StatsPeriod::Year,
    ] {
        periods.push(stats.by_period(actor, period).await?);
    }
    let agents = stats.agent_performance(actor, days).await?;
    let users = stats.user_activity(actor, 10).await?;
    let levels = stats.service_levels(actor, days).await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let period_label = |p: StatsPeriod| match p {
        StatsPeriod::Day => t.period_day,
        StatsPeriod::Week => t.period_week,
        StatsPeriod::Month => t.period_month,
        StatsPeriod::Year => t.period_year,
    };
    let agent_name = |name: &Option<String>, id: i64| name.clone().unwrap_or(format!("#{id}"));
    let rows = |groups: &[GroupCompliance], none: &str| -> Vec<ComplianceRow> {
        groups
            .iter()
            .map(|g| ComplianceRow {
                name: match g.id {
                    Some(id) => agent_name(&g.name, id),
                    None => none.to_string(),
                },
                first_response: compliance(&g.first_response),
                resolution: compliance(&g.resolution),
            })
            .collect()
    };
    let any_stopped = levels.first_response.stopped + levels.resolution.stopped > 0;
    let mut offered = PERIODS.to_vec();
    if !offered.contains(&days) {
        offered.push(days);
        offered.sort_unstable();
    }
    page(&Dashboard {
        periods: offered
            .into_iter()
            .map(|n| (n, t.last_days.replace("{}", &n.to_string())))
            .collect(),
        sla: if any_stopped {
            vec![ComplianceRow {
                name: t.sla_whole_desk.to_string(),
                first_response: compliance(&levels.first_response),
                resolution: compliance(&levels.resolution),
            }]
        } else {
            Vec::new()
        },
        sla_by_agent: rows(&levels.by_agent, t.unassigned),
        sla_by_category: rows(&levels.by_category, t.no_category),
        sla_times: [
            (
                at_most(t, levels.first_response.median_minutes),
                at_most(t, levels.first_response.p90_minutes),
            ),
            (
                at_most(t, levels.resolution.median_minutes),
                at_most(t, levels.resolution.p90_minutes),
            ),
        ],
        total: summary.total,
        avg_hours: hours(t, summary.avg_resolution_hours),
        statuses: bars(
            summary
                .by_status
                .iter()
                .map(|(s, n)| (view::status_label(t, *s).to_string(), *n, s.as_str())),
        ),
        priorities: bars(
            summary
                .by_priority
                .iter()
                .map(|(p, n)| (view::priority_label(t, *p).to_string(), *n, p.as_str())),
        ),
        flows: periods
            .iter()
            .map(|p| Flow {
                period: period_label(p.period),
                bars: bars([
                    (t.flow_new.to_string(), p.new_tickets, "new"),
                    (
                        t.flow_in_progress.to_string(),
                        p.in_progress_tickets,
                        "in_progress",
                    ),
                    (t.flow_resolved.to_string(), p.resolved_tickets, "closed"),
                ]),
                rate: percent(p.resolution_rate),
            })
            .collect(),
        agent_bars: bars(agents.iter().map(|a| {
            (
                agent_name(&a.agent_name, a.agent_id.0),
                a.resolved,
                "closed",
            )
        })),
        agents: agents
            .iter()
            .map(|a| AgentRow {
                name: agent_name(&a.agent_name, a.agent_id.0),
                assigned: a.assigned,
                resolved: a.resolved,
                rate: percent(a.resolution_rate),
                hours: hours(t, a.avg_resolution_hours),
            })
            .collect(),
        users: bars(users.into_iter().map(|u| {
            (
                u.full_name.unwrap_or(u.username),
                u.ticket_count,
                "in_progress",
            )
        })),
        days,
        l,
    })
}

/// Queues a recount of the counters (after a restore or a manual repair).
#[handler]
pub async fn rebuild(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session
        .act(
            &form.csrf,
            "/ui/stats",
            service.statistics().rebuild(&session.actor),
        )
        .await?;
    Ok(done(req, session.lang.texts().recount_queued, "/ui/stats"))
}
