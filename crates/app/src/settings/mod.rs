//! Configuration: defaults, then an optional `fixdesk.toml` (or the file `FIXDESK_CONFIG`
//! names), then the old service's variables (`DATABASE_URL`, `SECRET_KEY`,
//! `ACCESS_TOKEN_EXPIRE_MINUTES`, `ENVIRONMENT`), then `FIXDESK_*`, each overriding the last.

use std::time::Duration;

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use fixdesk_edge::{CorsPolicy, EdgeConfig, TrustedProxies};
use fixdesk_http::HttpConfig;
use fixdesk_service::{
    BackupSchedule, HashingLimits, MailConfig, MailIn, PoolSettings, ServiceSettings, SigningSecret,
};
use fixdesk_service::{DeskRules, FileStorage, TimeZone, domain::mail::UnknownSenders};
use fixdesk_web::WebConfig;

use crate::ConnectionLimits;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Staging,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Staging => "staging",
            Environment::Production => "production",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    pub environment: Environment,
    /// Address to listen on.
    pub bind: String,
    pub database_url: String,
    /// Directory for files (attachments, exports), created when needed.
    pub data_dir: String,
    /// Where attachments and exports are kept: `local` (in `data_dir`) or `database`; empty:
    /// `database` on PostgreSQL (instances then share no disk), `local` on SQLite.
    pub file_storage: String,
    /// Background workers of the job queue (0: this instance runs no jobs).
    pub job_workers: usize,
    /// Days a finished job, and an export's file, is kept (0: for ever).
    pub job_history_days: u64,
    /// Token-signing secret; required outside development.
    pub secret_key: Option<String>,
    pub access_token_expire_minutes: u64,
    /// Password of the `admin` account created on an empty database (random if unset).
    pub admin_password: Option<String>,
    /// Comma-separated browser origins allowed to call the server from other sites; `*` allows
    /// any. Empty: any in development, none (same origin only) everywhere else.
    pub cors_origins: String,
    pub migrate_on_start: bool,
    pub db_max_connections: u32,
    pub db_acquire_timeout_ms: u64,
    /// PostgreSQL statement timeout; 0 leaves the server's.
    pub db_statement_timeout_ms: u64,
    /// The most 4 KiB pages the SQLite file may grow to (0: no cap). Beyond it writes are
    /// refused with 503, as on a full disk.
    pub sqlite_max_pages: u64,
    pub session_cache_ttl_secs: u64,
    /// Password hashes computed at once; 0 means one per CPU core.
    pub hash_workers: usize,
    /// Password hashes allowed to wait; beyond that sign-ins get 503.
    pub hash_queue: usize,
    pub max_body_bytes: usize,
    /// Requests handled at once; beyond that they wait `queue_wait_ms` and get 503.
    pub max_in_flight: usize,
    pub queue_wait_ms: u64,
    /// Requests per minute per client address and per bearer token (429 beyond).
    pub rate_limit_per_minute: u64,
    /// Comma-separated proxy addresses or networks (`10.0.0.0/8`) whose `X-Forwarded-For` is
    /// believed.
    pub trusted_proxies: String,
    /// Bearer token that opens `/metrics` to non-loopback scrapers (loopback only if unset).
    pub metrics_token: Option<String>,
    pub log_format: LogFormat,
    /// Seconds to let requests in flight finish after a shutdown signal.
    pub shutdown_grace_secs: u64,
    /// Mark the web interface's cookies `Secure` (HTTPS only). Unset: on everywhere but
    /// development, which is served over plain HTTP on localhost.
    pub secure_cookies: Option<bool>,
    /// The longest a request may take to be read and answered (408 beyond).
    pub request_timeout_ms: u64,
    /// The same for requests that carry files.
    pub upload_timeout_secs: u64,
    /// Seconds a connection has to send a complete request head; also how long an idle
    /// kept-alive connection is kept open.
    pub header_timeout_secs: u64,
    /// Connections one client address may hold at once (trusted proxies are exempt).
    pub max_connections_per_client: usize,
    /// Connections the server holds at once; 0: as many as the open-file limit allows.
    pub max_connections: usize,
    /// The IANA zone ("Europe/Moscow") the web interface shows times in until a visitor's own
    /// zone is known (their account's, or their browser's).
    pub default_time_zone: String,
    /// Days after closing in which the creator may reopen their ticket.
    pub reopen_window_days: u32,
    /// Whether agents may hand a ticket they work to another staff member (admins always may).
    pub agents_may_hand_over: bool,
    /// The SMTP server notifications are mailed through (`smtps://user:pass@host:465`,
    /// `smtp://user:pass@host:587?tls=required`, `smtp://host:25`); unset: no mail is sent.
    pub mail_smtp_url: Option<String>,
    /// The sender of the desk's mails (`fixdesk <desk@example.org>`); required with
    /// `mail_smtp_url`.
    pub mail_from: Option<String>,
    /// The address people open the desk at, for the links in mails.
    pub public_url: String,
    /// Seconds between turning notifications into mails.
    pub mail_sweep_secs: u64,
    /// What mail in does with mail from an address no account has: `refuse` (the MTA bounces
    /// it) or `account` (open an account for the sender and file it).
    pub mail_unknown_senders: String,
    /// The authserv-id of the receiving mail host (`mx.school.example`) whose
    /// `Authentication-Results` header is believed: its DMARC, DKIM or SPF pass for the
    /// sender's domain lets a mail from a staff address act as staff. Unset: only replies to
    /// the desk's own mails (which carry a token for their recipient) do.
    pub mail_trusted_authserv_id: Option<String>,
    /// Attachments one inbound mail may carry; a mail with more is refused whole.
    pub mail_max_attachments: usize,
    /// Where the desk puts its own backups (unset: it makes none on a schedule).
    pub backup_dir: Option<String>,
    /// A backup is made once the last one is this many hours old.
    pub backup_every_hours: u64,
    /// Backups kept in `backup_dir`; older ones are removed after each success.
    pub backup_keep: usize,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("environment", &self.environment)
            .field("bind", &self.bind)
            .field("database_url", &self.database_url)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            environment: Environment::Development,
            bind: "127.0.0.1:8000".into(),
            database_url: "sqlite://fixdesk.db".into(),
            data_dir: "data".into(),
            file_storage: String::new(),
            job_workers: 1,
            job_history_days: 7,
            secret_key: None,
            access_token_expire_minutes: 24 * 60,
            admin_password: None,
            cors_origins: String::new(),
            migrate_on_start: true,
            db_max_connections: 8,
            db_acquire_timeout_ms: 5_000,
            db_statement_timeout_ms: 0,
            sqlite_max_pages: 0,
            session_cache_ttl_secs: 30,
            hash_workers: 0,
            hash_queue: 64,
            max_body_bytes: 1024 * 1024,
            max_in_flight: 1024,
            queue_wait_ms: 100,
            rate_limit_per_minute: 600,
            trusted_proxies: String::new(),
            metrics_token: None,
            log_format: LogFormat::Text,
            shutdown_grace_secs: 10,
            secure_cookies: None,
            request_timeout_ms: 30_000,
            upload_timeout_secs: 300,
            header_timeout_secs: 10,
            max_connections_per_client: 256,
            max_connections: 0,
            default_time_zone: "UTC".into(),
            reopen_window_days: 7,
            agents_may_hand_over: true,
            mail_smtp_url: None,
            mail_from: None,
            public_url: "http://127.0.0.1:8000".into(),
            mail_sweep_secs: 10,
            mail_unknown_senders: "refuse".into(),
            mail_trusted_authserv_id: None,
            mail_max_attachments: 20,
            backup_dir: None,
            backup_every_hours: 24,
            backup_keep: 7,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error("cannot read configuration: {0}")]
    Read(#[from] Box<figment::Error>),
}

/// Refuses a configuration file with a key no setting has (a typo would otherwise be ignored
/// silently, and the desk run on a default the operator meant to change).
fn unknown_keys(file: &str) -> Result<(), SettingsError> {
    let found: std::collections::BTreeMap<String, figment::value::Value> =
        Figment::from(Toml::file_exact(file))
            .extract()
            .map_err(Box::new)?;
    let known = match serde_json::to_value(Settings::default()) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => return Ok(()),
    };
    match found.keys().find(|k| !known.contains_key(k.as_str())) {
        Some(key) => Err(SettingsError::Invalid(format!(
            "{file}: unknown setting `{key}` (see fixdesk.example.toml for every key)"
        ))),
        None => Ok(()),
    }
}

/// Ten years: any longer is "for ever", which 0 says.
const MAX_JOB_HISTORY_DAYS: u64 = 3650;

/// The secret the old service shipped in its committed `.env`: anyone can forge tokens with it.
const KNOWN_PUBLIC_SECRET: &str = "your-super-secret-key-here-change-for-production";

impl Settings {
    /// Reads the configuration from the file and the process environment. Mistakes stop the
    /// start here, naming the file and the key: a `FIXDESK_CONFIG` naming no file, a key no
    /// setting has, a value of the wrong type. Only the working directory is looked in for
    /// `fixdesk.toml` (never its parents: a stray file up the tree must not configure a desk).
    pub fn load() -> Result<Self, SettingsError> {
        let (file, named) = match std::env::var("FIXDESK_CONFIG") {
            Ok(f) => (f, true),
            Err(_) => ("fixdesk.toml".to_string(), false),
        };
        let path = std::path::Path::new(&file);
        if named && !path.is_file() {
            return Err(SettingsError::Invalid(format!(
                "FIXDESK_CONFIG names {file}, which is not a readable file"
            )));
        }
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if path.is_file() {
            unknown_keys(&file)?;
            figment = figment.merge(Toml::file_exact(&file));
        }
        let settings: Settings = figment
            .merge(Env::raw().only(&[
                "database_url",
                "secret_key",
                "access_token_expire_minutes",
                "environment",
            ]))
            .merge(Env::prefixed("FIXDESK_"))
            .extract()
            .map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    /// Refuses configurations that would be unsafe to run.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.request_timeout_ms == 0
            || self.upload_timeout_secs == 0
            || self.header_timeout_secs == 0
        {
            return Err(SettingsError::Invalid(
                "request_timeout_ms, upload_timeout_secs and header_timeout_secs must be positive"
                    .into(),
            ));
        }
        if TimeZone::parse(&self.default_time_zone).is_err() {
            return Err(SettingsError::Invalid(format!(
                "default_time_zone {:?} is not a zone of the IANA database (e.g. Europe/Moscow)",
                self.default_time_zone
            )));
        }
        if self.max_connections_per_client == 0 {
            return Err(SettingsError::Invalid(
                "max_connections_per_client must be positive".into(),
            ));
        }
        if let Err(entry) = TrustedProxies::parse(&self.trusted_proxies) {
            return Err(SettingsError::Invalid(format!(
                "trusted_proxies: {entry:?} is neither an IP address nor a network (10.0.0.0/8)"
            )));
        }
        if !self.file_storage.is_empty() && FileStorage::parse(&self.file_storage).is_none() {
            return Err(SettingsError::Invalid(
                "file_storage must be local or database (or empty: by the database)".into(),
            ));
        }
        if self.job_history_days > MAX_JOB_HISTORY_DAYS {
            return Err(SettingsError::Invalid(format!(
                "job_history_days must be at most {MAX_JOB_HISTORY_DAYS} (0 keeps finished jobs for ever)"
            )));
        }
        if self.backup_every_hours == 0 || self.backup_keep == 0 {
            return Err(SettingsError::Invalid(
                "backup_every_hours and backup_keep must be at least 1".into(),
            ));
        }
        if UnknownSenders::parse(&self.mail_unknown_senders).is_none() {
            return Err(SettingsError::Invalid(
                "mail_unknown_senders must be refuse or account".into(),
            ));
        }
        if let Some(mail) = self.mail() {
            fixdesk_service::MailConfig::check(&mail)
                .map_err(|e| SettingsError::Invalid(e.to_string()))?;
        }
        match (&self.secret_key, self.environment) {
            (Some(s), _) if s == KNOWN_PUBLIC_SECRET => Err(SettingsError::Invalid(
                "SECRET_KEY is the old service's published example value; choose your own".into(),
            )),
            (Some(s), env) if env != Environment::Development && s.len() < 32 => {
                Err(SettingsError::Invalid(
                    "SECRET_KEY must be at least 32 characters outside development".into(),
                ))
            }
            (None, env) if env != Environment::Development => Err(SettingsError::Invalid(format!(
                "{} requires a token-signing secret: set FIXDESK_SECRET_KEY (or SECRET_KEY)",
                env.as_str()
            ))),
            _ => Ok(()),
        }
    }

    pub fn service(&self) -> ServiceSettings {
        let defaults = HashingLimits::default();
        ServiceSettings {
            database_url: self.database_url.clone(),
            pool: PoolSettings {
                max_connections: self.db_max_connections,
                acquire_timeout: Duration::from_millis(self.db_acquire_timeout_ms),
                busy_timeout: Duration::from_secs(5),
                statement_timeout: (self.db_statement_timeout_ms > 0)
                    .then(|| Duration::from_millis(self.db_statement_timeout_ms)),
                sqlite_max_pages: (self.sqlite_max_pages > 0).then_some(self.sqlite_max_pages),
            },
            migrate_on_start: self.migrate_on_start,
            signing_secret: match &self.secret_key {
                Some(s) => SigningSecret::Provided(s.clone()),
                None => SigningSecret::Stored,
            },
            token_ttl: Duration::from_secs(self.access_token_expire_minutes.max(1) * 60),
            session_cache_ttl: Duration::from_secs(self.session_cache_ttl_secs),
            hashing: HashingLimits {
                workers: if self.hash_workers == 0 {
                    defaults.workers
                } else {
                    self.hash_workers
                },
                queue: self.hash_queue,
            },
            data_dir: self.data_dir.clone().into(),
            file_storage: FileStorage::parse(&self.file_storage),
            job_workers: self.job_workers,
            job_history: (self.job_history_days > 0)
                .then(|| Duration::from_secs(self.job_history_days * 24 * 60 * 60)),
            rules: DeskRules::new(self.reopen_window_days, self.agents_may_hand_over),
            mail: self.mail(),
            upload_timeout: Duration::from_secs(self.upload_timeout_secs),
            backup: self
                .backup_dir
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|dir| BackupSchedule {
                    dir: dir.into(),
                    every: Duration::from_secs(self.backup_every_hours.max(1) * 60 * 60),
                    keep: self.backup_keep.max(1),
                }),
            mail_in: MailIn {
                unknown_senders: UnknownSenders::parse(&self.mail_unknown_senders)
                    .unwrap_or_default(),
                trusted_authserv_id: self
                    .mail_trusted_authserv_id
                    .clone()
                    .map(|id| id.trim().to_owned())
                    .filter(|id| !id.is_empty()),
                max_attachments: self.mail_max_attachments,
            },
        }
    }

    /// Mail out, when an SMTP server is configured.
    fn mail(&self) -> Option<MailConfig> {
        let smtp_url = self
            .mail_smtp_url
            .clone()
            .filter(|u| !u.trim().is_empty())?;
        Some(MailConfig {
            smtp_url,
            from: self.mail_from.clone().unwrap_or_default(),
            public_url: self.public_url.clone(),
            sweep_every: Duration::from_secs(self.mail_sweep_secs.max(1)),
        })
    }

    pub fn connections(&self) -> ConnectionLimits {
        let capacity = crate::connections::connection_capacity();
        ConnectionLimits {
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            per_client: self.max_connections_per_client,
            total: match self.max_connections {
                0 => capacity,
                n => n.min(capacity),
            },
            trusted_proxies: self.trusted_proxies(),
        }
    }

    fn cors_policy(&self) -> CorsPolicy {
        let origins: Vec<String> = self
            .cors_origins
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if origins.iter().any(|o| o == "*") {
            CorsPolicy::AnyOrigin
        } else if !origins.is_empty() {
            CorsPolicy::Origins(origins)
        } else if self.environment == Environment::Development {
            CorsPolicy::AnyOrigin
        } else {
            CorsPolicy::SameOrigin
        }
    }

    fn trusted_proxies(&self) -> TrustedProxies {
        TrustedProxies::parse(&self.trusted_proxies).unwrap_or_default()
    }

    pub fn web(&self) -> WebConfig {
        WebConfig {
            secure_cookies: self
                .secure_cookies
                .unwrap_or(self.environment != Environment::Development),
            default_time_zone: TimeZone::parse(&self.default_time_zone).unwrap_or(TimeZone::UTC),
            public_url: self.public_url.clone(),
        }
    }

    pub fn http(&self) -> HttpConfig {
        HttpConfig {
            max_body_bytes: self.max_body_bytes,
            has_ui: true,
        }
    }

    pub fn edge(&self) -> EdgeConfig {
        EdgeConfig {
            environment: self.environment.as_str().to_string(),
            cors: self.cors_policy(),
            max_in_flight: self.max_in_flight,
            queue_wait: Duration::from_millis(self.queue_wait_ms),
            rate_limit_per_minute: self.rate_limit_per_minute,
            trusted_proxies: self.trusted_proxies(),
            metrics_token: self.metrics_token.clone(),
            request_timeout: Duration::from_millis(self.request_timeout_ms),
            upload_timeout: Duration::from_secs(self.upload_timeout_secs),
            version: fixdesk_http::API_VERSION,
        }
    }
}

#[cfg(test)]
mod tests;
