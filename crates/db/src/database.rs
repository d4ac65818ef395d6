//! Connecting to the database and opening units of work.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::sync::Notify;

use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, IsolationLevel, SqliteTransactionMode,
    SqlxSqliteConnector, TransactionOptions, TransactionTrait,
    sqlx::{
        ConnectOptions as _,
        sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    },
};

use crate::{
    DbError, DbUrl, UnitOfWork,
    storage::{FileWatch, WriteFailures},
};

/// SQLite's page cache per connection (its default is 2 MiB). The operating system caches
/// the file as well, so a reader's own cache only saves a copy; kept small, eight readers and
/// the writer hold 6 MiB at most instead of 18, which is what lets the server stay within its
/// memory budget under load.
const READER_CACHE_KIB: u32 = 512;
const WRITER_CACHE_KIB: u32 = 2048;
/// How often the write-ahead log is checkpointed in the background.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);
/// The writer's own checkpoint threshold in pages (SQLite's default is 1,000): only a safety
/// net for when the background checkpoints cannot keep up.
const WRITER_AUTOCHECKPOINT_PAGES: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Pool sizing and timeouts. A request that cannot get a connection within `acquire_timeout`
/// fails fast as [`DbError::Busy`] instead of queueing without bound.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// Connections for reads (SQLite) or for everything (PostgreSQL).
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// How long SQLite waits on a lock held by another process before giving up.
    pub busy_timeout: Duration,
    /// PostgreSQL `statement_timeout`; `None` leaves the server default.
    pub statement_timeout: Option<Duration>,
    /// The most pages an SQLite file may grow to (`PRAGMA max_page_count`); `None`: no cap.
    pub sqlite_max_pages: Option<u64>,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            busy_timeout: Duration::from_secs(5),
            statement_timeout: None,
            sqlite_max_pages: None,
        }
    }
}

/// A connected database. On SQLite, writes go through a pool of exactly one connection:
/// SQLite allows one writer at a time anyway, and queueing writers on an async pool is fair
/// and cheap, where letting them collide inside SQLite means "database is locked" and
/// busy-sleeping. Reads use their own pool and, thanks to WAL, never wait for the writer.
#[derive(Debug, Clone)]
pub struct Database {
    read: DatabaseConnection,
    write: DatabaseConnection,
    backend: Backend,
    /// Signalled after every successful commit, so live feeds look for new rows at once.
    commits: Arc<Notify>,
    /// Signalled when jobs were queued (on PostgreSQL, by any instance; see `listener`).
    jobs: Arc<Notify>,
    /// The SQLite file, watched so that writes stop when it is deleted, replaced or made
    /// read-only under the running server.
    file: Option<FileWatch>,
    /// The configured cap on the SQLite file's pages, for readiness.
    max_pages: Option<u64>,
    /// Where the data is, for people (see [`DbUrl::location`]).
    location: Arc<str>,
    /// Queries sent to the database so far on either pool (a batch of statements sent together
    /// is one: it is one round trip): what CI's performance budget counts, a number noise
    /// cannot move, and a counter on `/metrics`.
    statements: Arc<AtomicU64>,
    failures: Arc<WriteFailures>,
}

/// Creates the database file (and its directory) for its owner alone — mode 0600 in a 0700
/// directory — unless it exists: the file holds every password hash and ticket, and SQLite
/// gives its write-ahead log and shared-memory files the same mode as the database.
async fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e),
        }
    })
    .await
    .map_err(std::io::Error::other)?
}

impl Database {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        Self::connect_with(url, &PoolSettings::default()).await
    }

    pub async fn connect_with(url: &str, settings: &PoolSettings) -> Result<Self, DbError> {
        let parsed = DbUrl::parse(url)?;
        let location: Arc<str> = parsed.location().into();
        let mut db = Self::connect_parsed(parsed, settings).await?;
        db.location = location;
        Ok(db)
    }

    async fn connect_parsed(parsed: DbUrl, settings: &PoolSettings) -> Result<Self, DbError> {
        match parsed {
            DbUrl::SqliteFile(path) => {
                create_private(&path).await.map_err(|e| {
                    DbError::InvalidUrl(format!("cannot create {}: {e}", path.display()))
                })?;
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(settings.busy_timeout)
                    .disable_statement_logging();
                // The writer connects first, so the file and its WAL mode exist before any
                // reader opens it.
                let write_options = options
                    .clone()
                    .pragma("cache_size", format!("-{WRITER_CACHE_KIB}"))
                    .pragma(
                        "wal_autocheckpoint",
                        WRITER_AUTOCHECKPOINT_PAGES.to_string(),
                    );
                let write_options = match settings.sqlite_max_pages {
                    Some(n) => write_options.pragma("max_page_count", n.to_string()),
                    None => write_options,
                };
                let failures = Arc::new(WriteFailures::default());
                let write = sqlite_pool(write_options, 1, settings, &failures).await?;
                let read_options = options.pragma("cache_size", format!("-{READER_CACHE_KIB}"));
                let read = sqlite_pool(read_options, settings.max_connections, settings, &failures)
                    .await?;
                let mut db = Self::new(read, write, Backend::Sqlite);
                db.failures = failures;
                db.file = Some(FileWatch::start(&path).await);
                db.max_pages = settings.sqlite_max_pages;
                Ok(db)
            }
            DbUrl::SqliteMemory => {
                // One connection holds the whole in-memory database; it must never be closed.
                let options = SqliteConnectOptions::new()
                    .in_memory(true)
                    .foreign_keys(true)
                    .disable_statement_logging();
                let failures = Arc::new(WriteFailures::default());
                let pool = with_clean_transactions(SqlitePoolOptions::new(), &failures)
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(settings.acquire_timeout)
                    .connect_with(options)
                    .await
                    .map_err(|e| {
                        DbError::from(sea_orm::DbErr::Conn(sea_orm::RuntimeErr::SqlxError(
                            e.into(),
                        )))
                    })?;
                let conn = SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
                let mut db = Self::new(conn.clone(), conn, Backend::Sqlite);
                db.failures = failures;
                Ok(db)
            }
            DbUrl::Postgres(url) => {
                let mut options = ConnectOptions::new(url);
                options
                    .max_connections(settings.max_connections)
                    .acquire_timeout(settings.acquire_timeout)
                    .test_before_acquire(false)
                    .sqlx_logging(false);
                if let Some(t) = settings.statement_timeout {
                    options.statement_timeout(t);
                }
                let conn = sea_orm::Database::connect(options).await?;
                Ok(Self::new(conn.clone(), conn, Backend::Postgres))
            }
        }
    }

    fn new(mut read: DatabaseConnection, mut write: DatabaseConnection, backend: Backend) -> Self {
        let statements = Arc::new(AtomicU64::new(0));
        for conn in [&mut read, &mut write] {
            let count = statements.clone();
            conn.set_metric_callback(move |_| {
                count.fetch_add(1, Ordering::Relaxed);
            });
        }
        Self {
            read,
            write,
            backend,
            commits: Arc::new(Notify::new()),
            jobs: Arc::new(Notify::new()),
            file: None,
            max_pages: None,
            location: "".into(),
            statements,
            failures: Arc::new(WriteFailures::default()),
        }
    }

    /// Queries sent since this database was connected (transaction control aside).
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Where the data is: the absolute path of the SQLite file, or PostgreSQL's host and
    /// database (never a password).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Signalled after each commit of a write unit of work (at most one wake-up is stored).
    pub fn commits(&self) -> Arc<Notify> {
        self.commits.clone()
    }

    /// Wakes the job workers of this process when any instance queues a job (PostgreSQL; on
    /// SQLite nothing signals it and workers rely on their poll).
    pub fn job_wakeups(&self) -> Arc<Notify> {
        self.jobs.clone()
    }

    /// On PostgreSQL, starts hearing other instances' commits (see `listener`), so the live
    /// feed and the workers react within moments instead of at their next poll. For processes
    /// with background work; it stops when the last handle of this database is dropped.
    pub fn hear_other_instances(&self) {
        if self.backend == Backend::Postgres {
            let pool = self.write.get_postgres_connection_pool();
            crate::listener::start(pool, &self.commits, &self.jobs);
        }
    }

    /// Opens an existing database for reading only (an SQLite file is never created or
    /// changed), as the importer reads the old service's database.
    pub async fn connect_read_only(url: &str) -> Result<Self, DbError> {
        let parsed = DbUrl::parse(url)?;
        let location: Arc<str> = parsed.location().into();
        let mut db = Self::open_read_only(parsed, url).await?;
        db.location = location;
        Ok(db)
    }

    async fn open_read_only(parsed: DbUrl, url: &str) -> Result<Self, DbError> {
        match parsed {
            DbUrl::SqliteFile(path) => {
                if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    return Err(DbError::InvalidUrl(format!(
                        "{} does not exist",
                        path.display()
                    )));
                }
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .read_only(true)
                    .create_if_missing(false)
                    .disable_statement_logging();
                let failures = Arc::new(WriteFailures::default());
                let conn = sqlite_pool(options, 2, &PoolSettings::default(), &failures).await?;
                Ok(Self::new(conn.clone(), conn, Backend::Sqlite))
            }
            DbUrl::SqliteMemory => Err(DbError::InvalidUrl(
                "an in-memory database has nothing to read".into(),
            )),
            DbUrl::Postgres(_) => Self::connect(url).await,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Connections open and idle, per pool (`read`, `write`), for monitoring.
    pub fn pool_sizes(&self) -> Vec<(&'static str, u32, usize)> {
        let stat = |c: &DatabaseConnection| match self.backend {
            Backend::Sqlite => {
                let p = c.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
            Backend::Postgres => {
                let p = c.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
        };
        let (rs, ri) = stat(&self.read);
        let (ws, wi) = stat(&self.write);
        vec![("read", rs, ri), ("write", ws, wi)]
    }

    /// The SQL dialect, for building raw statements.
    pub fn backend_kind(&self) -> sea_orm::DbBackend {
        self.read.get_database_backend()
    }

    /// The pool for single-statement reads outside any unit of work.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.read
    }

    /// The writing connection, for schema migrations.
    pub fn writer(&self) -> &DatabaseConnection {
        &self.write
    }

    /// Opens a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
    /// up front, so a transaction that reads and then writes can never fail half-way with
    /// "database is locked" because another writer slipped in between.
    ///
    /// Refused as [`DbError::Unavailable`] while the SQLite file is not the one this process
    /// opened, or is read-only: such a write could be acknowledged and then lost.
    pub async fn begin_write(&self) -> Result<UnitOfWork, DbError> {
        if let Some(file) = &self.file {
            file.check()?;
        }
        let options = match self.backend {
            Backend::Sqlite => TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            },
            Backend::Postgres => TransactionOptions::default(),
        };
        let txn = match self.write.begin_with_options(options).await {
            Ok(txn) => txn,
            Err(e) => return Err(self.noting_failure(e.into())),
        };
        Ok(UnitOfWork::new(
            txn,
            Some((self.commits.clone(), self.failures.clone())),
        ))
    }

    /// Checkpoints an SQLite file's write-ahead log once a second from a reader connection, so
    /// the copying into the database file and its fsync happen beside the single writer, not
    /// inside a commit that every waiting writer queues behind (as SQLite's automatic
    /// checkpoint would, every 1,000 pages). `PASSIVE` never waits for readers or the writer.
    /// Ends when the pools are closed.
    pub fn start_checkpoints(&self) {
        if self.file.is_none() {
            return;
        }
        let read = self.read.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(CHECKPOINT_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if read.get_sqlite_connection_pool().is_closed() {
                    return;
                }
                if let Err(e) = read
                    .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
                    .await
                {
                    tracing::debug!(error = %e, "background checkpoint failed");
                }
            }
        });
    }

    /// `e`, remembered for readiness when it says the storage failed.
    fn noting_failure(&self, e: DbError) -> DbError {
        if matches!(e, DbError::Unavailable(_)) {
            self.failures.record();
        }
        e
    }

    /// Opens a read transaction: one consistent snapshot across several queries.
    pub async fn begin_read(&self) -> Result<UnitOfWork, DbError> {
        let options = match self.backend {
            Backend::Sqlite => TransactionOptions::default(),
            Backend::Postgres => TransactionOptions {
                isolation_level: Some(IsolationLevel::RepeatableRead),
                ..Default::default()
            },
        };
        Ok(UnitOfWork::new(
            self.read.begin_with_options(options).await?,
            None,
        ))
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.read.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    /// The SQLite file's absolute path (`None` on PostgreSQL or in memory).
    pub fn file_path(&self) -> Option<&std::path::Path> {
        self.file.as_ref().map(FileWatch::path)
    }

    /// What keeps the storage from taking writes, looked at now: the SQLite file deleted,
    /// replaced or read-only, its configured cap (nearly) reached, or its disk (nearly) full.
    /// The write path itself is tried by the caller, with a real write.
    pub async fn storage_problem(&self) -> Option<fixdesk_domain::StorageProblem> {
        use fixdesk_domain::StorageProblem;
        if self.failures.recent() {
            return Some(StorageProblem::RecentWriteFailure);
        }
        let file = self.file.as_ref()?;
        if let Some(p) = file.refresh().await {
            return Some(p);
        }
        if !file.disk_has_room().await {
            return Some(StorageProblem::DiskFull);
        }
        if self.max_pages.is_some() && self.cap_headroom().await.is_some_and(|left| left < 16) {
            return Some(StorageProblem::CapReached);
        }
        None
    }

    /// Pages the SQLite file may still grow by under its cap, free pages inside it included.
    /// Asked on the writer, whose connection carries the cap.
    async fn cap_headroom(&self) -> Option<i64> {
        let row = self
            .write
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT (SELECT max_page_count FROM pragma_max_page_count()) \
                 - (SELECT page_count FROM pragma_page_count()) \
                 + (SELECT freelist_count FROM pragma_freelist_count()) AS left",
            ))
            .await
            .ok()??;
        row.try_get::<i64>("", "left").ok()
    }

    /// Closes both pools, waiting for connections in use to be returned.
    pub async fn close(self) {
        // Errors on close only mean the pool was already gone.
        let _ = self.read.close().await;
        let _ = self.write.close().await;
    }
}

async fn sqlite_pool(
    options: SqliteConnectOptions,
    max: u32,
    settings: &PoolSettings,
    failures: &Arc<WriteFailures>,
) -> Result<DatabaseConnection, DbError> {
    let pool = with_clean_transactions(SqlitePoolOptions::new(), failures)
        .max_connections(max.max(1))
        .acquire_timeout(settings.acquire_timeout)
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| {
            DbError::from(sea_orm::DbErr::Conn(sea_orm::RuntimeErr::SqlxError(
                e.into(),
            )))
        })?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// A connection that comes back to the pool still inside a transaction is closed, never
/// reused. This happens when SQLite itself rolled a transaction back (a full disk or an I/O
/// error during a write): sqlx's own ROLLBACK then fails and its transaction depth stays at
/// one, so the next "BEGIN" would silently become a SAVEPOINT inside a transaction that is
/// never committed, and every later write would be acknowledged and lost. Checked again
/// before a connection is handed out, so a unit of work never starts inside another.
fn with_clean_transactions(
    options: SqlitePoolOptions,
    failures: &Arc<WriteFailures>,
) -> SqlitePoolOptions {
    use sea_orm::sqlx::Connection as _;
    let failures = failures.clone();
    options
        .after_release(move |conn, _| {
            let failures = failures.clone();
            Box::pin(async move {
                // A committed unit of work left nothing open: no round trip of our own on the
                // single writer's path (sqlx pings after this hook anyway). The rollback of a
                // dropped one is queued on the connection: let it run before looking again.
                if !conn.is_in_transaction() {
                    return Ok(true);
                }
                conn.ping().await?;
                let clean = !conn.is_in_transaction();
                if !clean {
                    failures.record();
                    tracing::error!(
                        "a database connection was left inside a failed transaction; replacing it"
                    );
                }
                Ok(clean)
            })
        })
        .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
}
