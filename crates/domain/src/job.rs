//! Jobs: long work done in the background, durably.

use chrono::NaiveDateTime;

use crate::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Done,
    /// Failed on every attempt; kept for the operator (`jobs retry`).
    Dead,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Dead,
        ]
        .into_iter()
        .find(|j| j.as_str() == s)
    }
}

/// What a job does. Stored by name; a worker runs each kind with its own handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Write the tickets a list shows as a CSV file.
    ExportTickets,
    /// Recount every statistics counter from the tickets.
    StatsRebuild,
    /// Tell the whole staff of a new ticket.
    NotifyNewTicket,
    /// Look at the service-level clocks that are due: warn, escalate.
    SlaSweep,
    /// Count open tickets' due times again after calendars or policies changed.
    SlaRecount,
    /// Open the maintenance tickets whose due dates' lead time has begun.
    MaintenanceSweep,
    /// Fill the full-text index anew from the tables.
    SearchRebuild,
    /// Turn the notifications written since the last sweep into mails (and digests that are due).
    MailSweep,
    /// Send one mail (a notification or a digest) through SMTP.
    MailSend,
    /// Remove finished jobs, and exports' files, kept longer than the desk keeps them.
    Housekeeping,
    /// Back the desk up into `backup_dir` when a backup is due (or now, asked by an admin).
    Backup,
}

impl JobKind {
    pub const ALL: [JobKind; 11] = [
        JobKind::ExportTickets,
        JobKind::StatsRebuild,
        JobKind::NotifyNewTicket,
        JobKind::SlaSweep,
        JobKind::SlaRecount,
        JobKind::MaintenanceSweep,
        JobKind::SearchRebuild,
        JobKind::MailSweep,
        JobKind::MailSend,
        JobKind::Housekeeping,
        JobKind::Backup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::ExportTickets => "export_tickets",
            JobKind::StatsRebuild => "stats_rebuild",
            JobKind::NotifyNewTicket => "notify_new_ticket",
            JobKind::SlaSweep => "sla_sweep",
            JobKind::SlaRecount => "sla_recount",
            JobKind::MaintenanceSweep => "maintenance_sweep",
            JobKind::SearchRebuild => "search_rebuild",
            JobKind::MailSweep => "mail_sweep",
            JobKind::MailSend => "mail_send",
            JobKind::Housekeeping => "housekeeping",
            JobKind::Backup => "backup",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    /// JSON text.
    pub payload: String,
    pub state: JobState,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_after: NaiveDateTime,
    pub last_error: Option<String>,
    /// 0–100.
    pub progress: i32,
    /// JSON text, once done.
    pub result: Option<String>,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Seconds to wait before attempt `n + 1` after `n` failures: 2, 4, 8 … up to ten minutes.
pub fn backoff_secs(attempts: i32) -> i64 {
    2i64.saturating_pow(u32::try_from(attempts.clamp(1, 30)).unwrap_or(1))
        .min(600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_secs(1), 2);
        assert_eq!(backoff_secs(3), 8);
        assert_eq!(backoff_secs(20), 600);
        assert_eq!(JobState::parse("dead"), Some(JobState::Dead));
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(JobKind::parse("mine_bitcoin"), None);
    }
}
