//! Statistics on the wire: the contract's shapes, plus `total`, `by_status` and `by_priority`
//! on the summary (the names the old admin dashboard reads).

use std::collections::BTreeMap;

use fixdesk_usecases::domain::{
    AgentPerformance, PeriodStats, Priority, TicketStatus, TicketSummary, UserActivity,
    sla::statistics::{ClockStats, GroupCompliance, ServiceLevelStats},
};
use poem_openapi::Object;

#[derive(Debug, Object, serde::Serialize)]
pub struct StatusCounts {
    pub new: i64,
    pub in_progress: i64,
    pub closed: i64,
}

#[derive(Debug, Object, serde::Serialize)]
pub struct PriorityCounts {
    pub low: i64,
    pub medium: i64,
    pub high: i64,
}

#[derive(Debug, Object, serde::Serialize)]
pub struct TicketSummaryOut {
    pub total_tickets: i64,
    /// Only the statuses that occur.
    pub status_distribution: BTreeMap<String, i64>,
    /// Only the priorities that occur.
    pub priority_distribution: BTreeMap<String, i64>,
    #[oai(nullable)]
    pub avg_resolution_time_hours: Option<f64>,
    pub total: i64,
    pub by_status: StatusCounts,
    pub by_priority: PriorityCounts,
}

fn count<K: PartialEq>(pairs: &[(K, i64)], key: K) -> i64 {
    pairs.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n)
}

impl From<TicketSummary> for TicketSummaryOut {
    fn from(s: TicketSummary) -> Self {
        let occurring =
            |pairs: Vec<(String, i64)>| pairs.into_iter().filter(|(_, n)| *n > 0).collect();
        Self {
            total_tickets: s.total,
            status_distribution: occurring(
                s.by_status
                    .iter()
                    .map(|(k, n)| (k.as_str().to_string(), *n))
                    .collect(),
            ),
            priority_distribution: occurring(
                s.by_priority
                    .iter()
                    .map(|(k, n)| (k.as_str().to_string(), *n))
                    .collect(),
            ),
            avg_resolution_time_hours: s.avg_resolution_hours,
            total: s.total,
            by_status: StatusCounts {
                new: count(&s.by_status, TicketStatus::New),
                in_progress: count(&s.by_status, TicketStatus::InProgress),
                closed: count(&s.by_status, TicketStatus::Closed),
            },
            by_priority: PriorityCounts {
                low: count(&s.by_priority, Priority::Low),
                medium: count(&s.by_priority, Priority::Medium),
                high: count(&s.by_priority, Priority::High),
            },
        }
    }
}

#[derive(Debug, Object)]
pub struct AgentPerformanceOut {
    pub agent_id: i64,
    #[oai(nullable)]
    pub agent_name: Option<String>,
    pub assigned_tickets: i64,
    pub resolved_tickets: i64,
    pub resolution_rate: f64,
    #[oai(nullable)]
    pub avg_resolution_time_hours: Option<f64>,
}

impl From<AgentPerformance> for AgentPerformanceOut {
    fn from(a: AgentPerformance) -> Self {
        Self {
            agent_id: a.agent_id.0,
            agent_name: a.agent_name,
            assigned_tickets: a.assigned,
            resolved_tickets: a.resolved,
            resolution_rate: a.resolution_rate,
            avg_resolution_time_hours: a.avg_resolution_hours,
        }
    }
}

#[derive(Debug, Object)]
pub struct PeriodOut {
    pub period: String,
    pub new_tickets: i64,
    pub resolved_tickets: i64,
    pub in_progress_tickets: i64,
    pub resolution_rate: f64,
}

impl From<PeriodStats> for PeriodOut {
    fn from(p: PeriodStats) -> Self {
        Self {
            period: p.period.as_str().into(),
            new_tickets: p.new_tickets,
            resolved_tickets: p.resolved_tickets,
            in_progress_tickets: p.in_progress_tickets,
            resolution_rate: p.resolution_rate,
        }
    }
}

#[derive(Debug, Object)]
pub struct ActiveUserOut {
    pub user_id: i64,
    pub username: String,
    #[oai(nullable)]
    pub full_name: Option<String>,
    pub ticket_count: i64,
}

#[derive(Debug, Object)]
pub struct UserActivityOut {
    pub most_active_by_tickets: Vec<ActiveUserOut>,
}

impl From<Vec<UserActivity>> for UserActivityOut {
    fn from(list: Vec<UserActivity>) -> Self {
        Self {
            most_active_by_tickets: list
                .into_iter()
                .map(|u| ActiveUserOut {
                    user_id: u.user_id.0,
                    username: u.username,
                    full_name: u.full_name,
                    ticket_count: u.ticket_count,
                })
                .collect(),
        }
    }
}

/// One clock's figures.
#[derive(Debug, Object)]
pub struct ClockStatsOut {
    /// Clocks that stopped in the period (first answers; closings).
    pub stopped: i64,
    /// Of those, in time.
    pub met: i64,
    #[oai(nullable)]
    pub compliance_percent: Option<f64>,
    /// The median time taken, as "at most this many minutes" (a bucket's upper bound:
    /// 15, 30, 60, 120, 240, 480, 1440, 2880, 5760, 10080, 20160); `null` without data or
    /// beyond two weeks. Only overall, not per group.
    #[oai(nullable)]
    pub median_minutes: Option<i64>,
    #[oai(nullable)]
    pub p90_minutes: Option<i64>,
}

impl From<ClockStats> for ClockStatsOut {
    fn from(c: ClockStats) -> Self {
        Self {
            compliance_percent: c.compliance_percent(),
            stopped: c.stopped,
            met: c.met,
            median_minutes: c.median_minutes,
            p90_minutes: c.p90_minutes,
        }
    }
}

/// An agent's or a category's compliance.
#[derive(Debug, Object)]
pub struct GroupComplianceOut {
    /// `null`: nobody held the tickets / no category.
    #[oai(nullable)]
    pub id: Option<i64>,
    #[oai(nullable)]
    pub name: Option<String>,
    pub first_response: ClockStatsOut,
    pub resolution: ClockStatsOut,
}

impl From<GroupCompliance> for GroupComplianceOut {
    fn from(g: GroupCompliance) -> Self {
        Self {
            id: g.id,
            name: g.name,
            first_response: g.first_response.into(),
            resolution: g.resolution.into(),
        }
    }
}

#[derive(Debug, Object)]
pub struct ServiceLevelStatsOut {
    pub days: u32,
    pub first_response: ClockStatsOut,
    pub resolution: ClockStatsOut,
    pub by_agent: Vec<GroupComplianceOut>,
    pub by_category: Vec<GroupComplianceOut>,
}

impl From<ServiceLevelStats> for ServiceLevelStatsOut {
    fn from(s: ServiceLevelStats) -> Self {
        Self {
            days: s.days,
            first_response: s.first_response.into(),
            resolution: s.resolution.into(),
            by_agent: s.by_agent.into_iter().map(Into::into).collect(),
            by_category: s.by_category.into_iter().map(Into::into).collect(),
        }
    }
}
