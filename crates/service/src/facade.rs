//! [`Fixdesk`]: the whole service behind one handle, for the HTTP server, the web UI, the
//! operator CLI, tests, and any Rust program that embeds fixdesk.

use std::sync::Arc;

use fixdesk_db::{Backend, Database};
use fixdesk_domain::NotReady;
use fixdesk_repository::secrets;

use fixdesk_usecases::{
    AssignmentUseCases, AttachmentUseCases, AuditUseCases, AuthUseCases, BackupUseCases,
    CannedReplyUseCases, CategoryUseCases, EquipmentUseCases, ExportUseCases, Gauge, Helpdesk,
    MailUseCases, NotificationUseCases, PreventiveUseCases, RateBudget, SearchUseCases,
    ServiceError, ServiceLevelUseCases, StatisticsUseCases, TicketUseCases, UserUseCases,
    async_trait,
};

use crate::{
    Assignment, Attachments, AuditLog, Auth, CannedReplies, Categories, EquipmentRegister, Exports,
    Notifications, Operator, PasswordHasher, SeededAdmin, ServiceSettings, SigningSecret,
    Statistics, Tickets, Users,
    auth::login_attempts::LoginAttempts,
    auth::seed,
    auth::session_cache::SessionCache,
    auth::tokens::TokenIssuer,
    backup::Backups,
    clock,
    clock::Clock,
    context::Context,
    equipment::preventive::Preventive,
    files::stores,
    health::{HealthCheck, ReadinessCheck},
    jobs::worker,
    live::LiveFeed,
    mail::{Mail, mailer::Mailer, proof::ReplyKey},
    random,
    rate_budget::SharedBudget,
    search::Search,
    sla::{ServiceLevels, book::BookCache},
};

/// The fixdesk service. Cheap to clone; clones share one database pool and one cache. Its use
/// cases are reached through the [`Helpdesk`] trait (`fixdesk.users().create(…)`).
#[derive(Debug, Clone)]
pub struct Fixdesk {
    ctx: Arc<Context>,
    auth: Auth,
    users: Users,
    tickets: Tickets,
    categories: Categories,
    equipment: EquipmentRegister,
    statistics: Statistics,
    audit: AuditLog,
    notifications: Notifications,
    attachments: Attachments,
    exports: Exports,
    service_levels: ServiceLevels,
    assignment: Assignment,
    canned_replies: CannedReplies,
    preventive: Preventive,
    search: Search,
    mail: Mail,
    backups: Backups,
    operator: Operator,
    /// On PostgreSQL, the rate budget every instance shares.
    rate_budget: Option<SharedBudget>,
}

const SIGNING_SECRET: &str = "jwt_signing_key";

impl Fixdesk {
    /// Connects, applies pending migrations (unless disabled), loads the signing secret and
    /// starts the background work of a server: the job workers, the live feed, (on SQLite)
    /// the write-ahead log's checkpoints and (on PostgreSQL) hearing other instances' commits.
    pub async fn start(settings: ServiceSettings) -> Result<Self, ServiceError> {
        let service = Self::build(settings.clone(), true).await?;
        worker::start(&service.ctx, settings.job_workers);
        service.ctx.db.start_checkpoints();
        service.ctx.db.hear_other_instances();
        Ok(service)
    }

    /// Like [`Fixdesk::start`] but without any background work: no job runs and nothing is
    /// polled. For operator commands and tools, which must not, say, run a queued export.
    pub async fn open(settings: ServiceSettings) -> Result<Self, ServiceError> {
        Self::build(settings, false).await
    }

    async fn build(settings: ServiceSettings, live: bool) -> Result<Self, ServiceError> {
        let db = Database::connect_with(&settings.database_url, &settings.pool).await?;
        if settings.migrate_on_start {
            fixdesk_migration::up_exclusively(db.writer())
                .await
                .map_err(ServiceError::internal)?;
        }
        let secret = match &settings.signing_secret {
            SigningSecret::Provided(s) => s.clone(),
            SigningSecret::Stored => {
                let candidate = random::hex(32);
                secrets::get_or_insert(db.writer(), SIGNING_SECRET, &candidate, clock::wall())
                    .await?
            }
        };
        let hasher = PasswordHasher::new(settings.hashing);
        let sessions = SessionCache::new(settings.session_cache_ttl);
        let (files, exports) = stores::stores(
            &db,
            settings.file_storage,
            &settings.data_dir,
            settings.upload_timeout,
        );
        let ctx = Arc::new(Context {
            feed: if live {
                LiveFeed::start(db.clone(), sessions.clone())
            } else {
                LiveFeed::idle(db.clone())
            },
            files,
            exports,
            health: HealthCheck::new(),
            readiness: ReadinessCheck::default(),
            login_attempts: LoginAttempts::default(),
            rules: settings.rules,
            sla_book: BookCache::default(),
            clock: Clock::default(),
            mail_in: settings.mail_in.clone(),
            reply_key: ReplyKey::derive(secret.as_bytes()),
            job_history: settings.job_history,
            longest_upload: settings.upload_timeout,
            database_url: settings.database_url.clone(),
            data_dir: settings.data_dir.clone(),
            backup: settings.backup.clone(),
            mailer: settings
                .mail
                .as_ref()
                .map(Mailer::new)
                .transpose()
                .map_err(ServiceError::internal)?,
            db,
            hasher,
            tokens: TokenIssuer::new(secret.as_bytes(), settings.token_ttl),
            sessions,
        });
        Ok(Self {
            rate_budget: (ctx.db.backend() == Backend::Postgres)
                .then(|| SharedBudget::new(ctx.db.clone())),
            exports: Exports::new(ctx.clone()),
            auth: Auth::new(ctx.clone()),
            users: Users::new(ctx.clone()),
            tickets: Tickets::new(ctx.clone()),
            categories: Categories::new(ctx.clone()),
            equipment: EquipmentRegister::new(ctx.clone(), Tickets::new(ctx.clone())),
            statistics: Statistics::new(ctx.clone()),
            audit: AuditLog::new(ctx.clone()),
            notifications: Notifications::new(ctx.clone()),
            attachments: Attachments::new(ctx.clone()),
            operator: Operator::new(ctx.clone()),
            service_levels: ServiceLevels::new(ctx.clone()),
            assignment: Assignment::new(ctx.clone()),
            canned_replies: CannedReplies::new(ctx.clone()),
            preventive: Preventive::new(ctx.clone()),
            search: Search::new(ctx.clone()),
            mail: Mail::new(ctx.clone()),
            backups: Backups::new(ctx.clone()),
            ctx,
        })
    }

    /// Moves this service's "now" for the service-level clocks forward by `by`: for tests and
    /// drills, which see a ticket warned and escalated without waiting a working day.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.ctx.clock.advance(by);
    }

    pub fn database(&self) -> &Database {
        &self.ctx.db
    }

    /// Tasks for the operator of the installation, outside any user's permissions.
    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// Creates the `admin` account if no admin exists (first start on an empty database).
    pub async fn ensure_admin(
        &self,
        password: Option<&str>,
    ) -> Result<Option<SeededAdmin>, ServiceError> {
        seed::ensure_admin(&self.ctx.db, &self.ctx.hasher, password).await
    }
}

#[async_trait]
impl Helpdesk for Fixdesk {
    fn auth(&self) -> &dyn AuthUseCases {
        &self.auth
    }

    fn users(&self) -> &dyn UserUseCases {
        &self.users
    }

    fn tickets(&self) -> &dyn TicketUseCases {
        &self.tickets
    }

    fn categories(&self) -> &dyn CategoryUseCases {
        &self.categories
    }

    fn equipment(&self) -> &dyn EquipmentUseCases {
        &self.equipment
    }

    fn statistics(&self) -> &dyn StatisticsUseCases {
        &self.statistics
    }

    fn audit(&self) -> &dyn AuditUseCases {
        &self.audit
    }

    fn notifications(&self) -> &dyn NotificationUseCases {
        &self.notifications
    }

    fn attachments(&self) -> &dyn AttachmentUseCases {
        &self.attachments
    }

    fn exports(&self) -> &dyn ExportUseCases {
        &self.exports
    }

    fn service_levels(&self) -> &dyn ServiceLevelUseCases {
        &self.service_levels
    }

    fn assignment(&self) -> &dyn AssignmentUseCases {
        &self.assignment
    }

    fn canned_replies(&self) -> &dyn CannedReplyUseCases {
        &self.canned_replies
    }

    fn mail(&self) -> &dyn MailUseCases {
        &self.mail
    }

    fn backups(&self) -> &dyn BackupUseCases {
        &self.backups
    }

    fn search(&self) -> &dyn SearchUseCases {
        &self.search
    }

    fn preventive(&self) -> &dyn PreventiveUseCases {
        &self.preventive
    }

    fn rate_budget(&self) -> Option<&dyn RateBudget> {
        self.rate_budget.as_ref().map(|b| b as &dyn RateBudget)
    }

    async fn healthy(&self) -> bool {
        self.ctx.health.check(|| self.ctx.db.ping()).await
    }

    async fn gauges(&self) -> Vec<Gauge> {
        let mut out = Vec::new();
        for (pool, size, idle) in self.ctx.db.pool_sizes() {
            out.push(Gauge::new(
                format!("db_pool_{pool}_connections"),
                format!("Open connections of the {pool} pool"),
                f64::from(size),
            ));
            out.push(Gauge::new(
                format!("db_pool_{pool}_idle"),
                format!("Idle connections of the {pool} pool"),
                idle as f64,
            ));
        }
        out.push(Gauge::new(
            "db_statements",
            "Queries sent to the database since the start (it only grows)",
            self.ctx.db.statements() as f64,
        ));
        out.push(Gauge::new(
            "password_hash_memory_bytes",
            "argon2 memory the password-hashing workers hold",
            self.ctx.hasher.memory_held() as f64,
        ));
        if let Ok(n) = fixdesk_repository::jobs::queued(self.ctx.db.reader()).await {
            out.push(Gauge::new("jobs_queued", "Jobs waiting to run", n as f64));
        }
        out
    }

    async fn readiness(&self) -> Result<(), NotReady> {
        self.ctx.readiness.check(&self.ctx.db).await
    }
}
