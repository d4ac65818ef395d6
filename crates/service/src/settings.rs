//! What the service needs to start, independent of where the values came from.

use std::{path::PathBuf, time::Duration};

use fixdesk_db::PoolSettings;
use fixdesk_domain::DeskRules;

use fixdesk_domain::mail::UnknownSenders;

use crate::{auth::hashing::HashingLimits, mail::mailer::MailConfig};

/// Where the token-signing key comes from.
#[derive(Clone)]
pub enum SigningSecret {
    /// Given by the operator (required in production).
    Provided(String),
    /// Generated on first start and kept in the database, so tokens survive restarts and
    /// every instance on the same database agrees. For development.
    Stored,
}

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SigningSecret::Provided(_) => f.write_str("Provided(***)"),
            SigningSecret::Stored => f.write_str("Stored"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServiceSettings {
    pub database_url: String,
    pub pool: PoolSettings,
    pub migrate_on_start: bool,
    pub signing_secret: SigningSecret,
    pub token_ttl: Duration,
    /// How long a verified session is trusted without asking the database again. Revocations
    /// made through this process apply at once regardless.
    pub session_cache_ttl: Duration,
    pub hashing: HashingLimits,
    /// Where local files are kept (attachments under `attachments/`, exports under `exports/`).
    pub data_dir: PathBuf,
    /// Where attachments and exports are kept; `None`: in the database on PostgreSQL (so
    /// instances need no shared disk), in `data_dir` on SQLite.
    pub file_storage: Option<FileStorage>,
    /// Background workers of the job queue (0: this instance runs no jobs).
    pub job_workers: usize,
    /// How the desk works: the creator's reopen window, whether agents may hand tickets over.
    pub rules: DeskRules,
    /// Mail out; `None`: the desk sends no mail.
    pub mail: Option<MailConfig>,
    /// How mail in treats what arrives.
    pub mail_in: MailIn,
    /// The most an upload may take (the edge's deadline for requests with files): a file in
    /// the database still unfinished well after it was begun is abandoned and cleared away.
    pub upload_timeout: Duration,
    /// The desk's own backups on a schedule; `None`: none (the operator's `backup` command
    /// still works).
    pub backup: Option<BackupSchedule>,
    /// How long a finished job is kept (an export with its file, so its requester can still
    /// download it), before housekeeping removes it; `None`: for ever. Dead jobs stay until an
    /// operator retries them.
    pub job_history: Option<Duration>,
}

impl ServiceSettings {
    /// Settings for a database URL with every other value at its default.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            pool: PoolSettings::default(),
            migrate_on_start: true,
            signing_secret: SigningSecret::Stored,
            token_ttl: Duration::from_secs(24 * 60 * 60),
            session_cache_ttl: Duration::from_secs(30),
            hashing: HashingLimits::default(),
            data_dir: PathBuf::from("data"),
            file_storage: None,
            job_workers: 1,
            rules: DeskRules::default(),
            mail: None,
            mail_in: MailIn::default(),
            upload_timeout: Duration::from_secs(300),
            backup: None,
            job_history: Some(Duration::from_secs(7 * 24 * 60 * 60)),
        }
    }
}

/// Where attachments and exports are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStorage {
    /// Files in `data_dir` (several instances then need a shared disk).
    Local,
    /// Files in the database, in chunks.
    Database,
}

impl FileStorage {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "local" => Some(Self::Local),
            "database" => Some(Self::Database),
            _ => None,
        }
    }
}

/// How mail in treats what arrives.
#[derive(Debug, Clone)]
pub struct MailIn {
    /// What becomes of mail from an address no account has.
    pub unknown_senders: UnknownSenders,
    /// The authserv-id of the mail host whose `Authentication-Results` are believed (its
    /// DMARC, DKIM or SPF pass proves a staff sender); `None`: only reply tokens do.
    pub trusted_authserv_id: Option<String>,
    /// Attachments one mail may carry; a mail with more is refused whole.
    pub max_attachments: usize,
}

impl Default for MailIn {
    fn default() -> Self {
        Self {
            unknown_senders: UnknownSenders::default(),
            trusted_authserv_id: None,
            max_attachments: 20,
        }
    }
}

/// When and where the desk backs itself up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    pub dir: PathBuf,
    /// A backup is made once the last success is this old.
    pub every: Duration,
    /// Archives kept in `dir`; older ones are removed after each success.
    pub keep: usize,
}
