//! Backups: what one attempt left (for the admins' page and `/ready`), and what the desk's
//! schedule of them is.

use chrono::NaiveDateTime;

/// One backup the desk attempted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupRecord {
    pub id: i64,
    /// The job that made it (the one `POST /backups` answered), if a job did.
    pub job_id: Option<i64>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// The archive's file name (in the backup directory), when it was made.
    pub file: Option<String>,
    pub size: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
}

/// An archive in the backup directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub name: String,
    pub size: u64,
    pub modified: Option<NaiveDateTime>,
}

/// Where the desk stands with its backups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BackupStatus {
    /// Whether the desk backs itself up on a schedule (`backup_dir` set).
    pub scheduled: bool,
    pub dir: Option<String>,
    pub every_hours: u64,
    pub keep: u64,
    pub last_success: Option<BackupRecord>,
    pub last_failure: Option<BackupRecord>,
    /// The attempt under way, if one is.
    pub running: Option<BackupRecord>,
    /// The archives in the directory, newest first.
    pub files: Vec<BackupFile>,
}

impl BackupStatus {
    /// Whether the newest attempt failed (a success after a failure clears it).
    pub fn failing(&self) -> bool {
        match (&self.last_failure, &self.last_success) {
            (Some(f), Some(s)) => f.started_at > s.started_at,
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// The name of a scheduled backup made at `at` (UTC): sortable, so the oldest are the first.
pub fn archive_name(at: NaiveDateTime) -> String {
    format!("fixdesk-backup-{}.tar.gz", at.format("%Y%m%d-%H%M%S"))
}

/// Whether `name` is a finished archive of the desk's own naming (not a `.partial` one, not
/// someone else's file): the only files rotation ever removes.
pub fn is_archive_name(name: &str) -> bool {
    name.strip_prefix("fixdesk-backup-")
        .and_then(|rest| rest.strip_suffix(".tar.gz"))
        .is_some_and(|stamp| {
            stamp.len() == 15
                && stamp
                    .chars()
                    .enumerate()
                    .all(|(i, c)| if i == 8 { c == '-' } else { c.is_ascii_digit() })
        })
}

/// Which of the archives `names` rotation removes to keep the newest `keep`.
pub fn to_rotate(names: &[String], keep: usize) -> Vec<String> {
    let mut archives: Vec<&String> = names.iter().filter(|n| is_archive_name(n)).collect();
    archives.sort();
    let excess = archives.len().saturating_sub(keep.max(1));
    archives.into_iter().take(excess).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_the_newest_and_touches_nothing_else() {
        let at =
            |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap_or_default();
        let names: Vec<String> = [
            archive_name(at("2026-12-05 03:00:00")),
            archive_name(at("2026-12-07 03:00:00")),
            "fixdesk-backup-20261208-030000.tar.gz.partial".into(),
            "my-own-copy.tar.gz".into(),
            archive_name(at("2026-12-06 03:00:00")),
        ]
        .into();
        assert_eq!(
            to_rotate(&names, 2),
            vec!["fixdesk-backup-20261205-030000.tar.gz".to_string()]
        );
        assert!(to_rotate(&names, 5).is_empty());
        assert_eq!(to_rotate(&names, 0).len(), 2, "at least one is always kept");
        assert!(!is_archive_name("fixdesk-backup-2026120-030000.tar.gz"));
    }

    #[test]
    fn a_success_after_a_failure_clears_it() {
        let record = |id: i64, at: &str| BackupRecord {
            id,
            job_id: None,
            started_at: NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap_or_default(),
            finished_at: None,
            state: String::new(),
            file: None,
            size: None,
            error: None,
        };
        let mut status = BackupStatus {
            last_failure: Some(record(1, "2026-12-06 03:00")),
            ..BackupStatus::default()
        };
        assert!(status.failing());
        status.last_success = Some(record(2, "2026-12-07 03:00"));
        assert!(!status.failing());
    }
}
