//! What every use case of one service shares: the database, password hashing, tokens and the
//! session cache, the live feed, file stores and the probes' state. One per [`crate::Fixdesk`],
//! behind an `Arc`; every use case and every background task holds it.

use std::sync::Arc;

use fixdesk_db::Database;
use fixdesk_domain::DeskRules;

use crate::{
    PasswordHasher,
    auth::login_attempts::LoginAttempts,
    auth::session_cache::SessionCache,
    auth::tokens::TokenIssuer,
    clock::Clock,
    files::FileStore,
    health::{HealthCheck, ReadinessCheck},
    live::LiveFeed,
    mail::{mailer::Mailer, proof::ReplyKey},
    settings::{BackupSchedule, MailIn},
    sla::book::BookCache,
};

#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) db: Database,
    pub(crate) hasher: PasswordHasher,
    pub(crate) tokens: TokenIssuer,
    pub(crate) sessions: SessionCache,
    pub(crate) feed: LiveFeed,
    pub(crate) files: Arc<dyn FileStore>,
    pub(crate) exports: Arc<dyn FileStore>,
    pub(crate) health: HealthCheck,
    pub(crate) readiness: ReadinessCheck,
    pub(crate) login_attempts: LoginAttempts,
    /// The operator's rules of the desk (reopen window, hand-over).
    pub(crate) rules: DeskRules,
    /// The calendars and policies of service levels, held in memory.
    pub(crate) sla_book: BookCache,
    /// "Now" for the service-level clocks (tests move it forward).
    pub(crate) clock: Clock,
    /// The SMTP side of mail out; `None` when no mail is configured (nothing is queued).
    pub(crate) mailer: Option<Mailer>,
    /// How mail in treats what arrives.
    pub(crate) mail_in: MailIn,
    /// What the reply tokens in the desk's mails are made with.
    pub(crate) reply_key: ReplyKey,
    /// Where the database is (as configured) and where local files are kept: what a backup
    /// copies.
    pub(crate) database_url: String,
    pub(crate) data_dir: std::path::PathBuf,
    /// The desk's own backups, when `backup_dir` is set.
    pub(crate) backup: Option<BackupSchedule>,
    /// The most an upload may take (the edge ends it then): older unfinished files are gone.
    pub(crate) longest_upload: std::time::Duration,
    /// How long finished jobs and export files are kept; `None`: for ever.
    pub(crate) job_history: Option<std::time::Duration>,
}
