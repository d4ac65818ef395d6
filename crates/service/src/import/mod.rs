//! `import-legacy`: brings a database of the old ticket-system into fixdesk in one
//! transaction. Ids are kept (so saved links keep working), dirty values are repaired by the
//! rules of [`repair`] or the row is skipped — never silently: every repair and every skip is
//! in the report. Users the old data refers to but no longer has become placeholder
//! "deleted user" records with the same id. The statistics counters are rebuilt at the end,
//! and imported audit rows join the tamper-evident chain, marked as imported.

mod repair;

use std::{
    collections::{HashMap, HashSet},
    path::PathBuf,
    time::Instant,
};

use chrono::NaiveDateTime;
use fixdesk_db::{ConnectionTrait, Database};
use fixdesk_domain::{
    DomainError, EquipmentStatus, MaintenanceKind, NotificationKind, Role, UploadName, Username,
};
use fixdesk_repository::{
    audit, import,
    import::rows,
    legacy::{self, columns},
    sessions, statistics, users,
};
use fixdesk_usecases::ServiceError;
use futures::TryStreamExt;

use crate::{
    clock,
    files::{FileStore, content_matches},
};

/// One repair or skip, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub table: &'static str,
    pub id: i64,
    pub problem: String,
    pub action: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Per table: rows read from the old database and rows written.
    pub tables: Vec<(&'static str, u64, u64)>,
    pub repairs: Vec<Repair>,
    pub dry_run: bool,
    pub seconds: f64,
}

impl ImportReport {
    /// The repairs as CSV (`table,id,problem,action`).
    pub fn repairs_csv(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::from("table,id,problem,action\n");
        for r in &self.repairs {
            out.push_str(&format!(
                "{},{},{},{}\n",
                r.table,
                r.id,
                quote(&r.problem),
                quote(&r.action)
            ));
        }
        out
    }
}

/// Where the import is, for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub table: &'static str,
    pub done: u64,
    pub total: u64,
    pub elapsed_secs: f64,
}

/// What to import from where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The old database: a URL or an SQLite file path.
    pub source: String,
    /// Write nothing; report what would be imported and repaired.
    pub dry_run: bool,
    /// The old service's `uploads` directory, to bring attachment files along.
    pub uploads: Option<PathBuf>,
}

const BATCH: u64 = 5_000;
/// A password hash nothing verifies against: the account exists but cannot sign in until an
/// admin or the operator sets a password.
const NO_PASSWORD: &str = "!";

struct Run<'a, C> {
    conn: &'a C,
    legacy: &'a Database,
    now: NaiveDateTime,
    report: ImportReport,
    progress: &'a mut (dyn FnMut(Progress) + Send),
    started: Instant,
}

impl<C: ConnectionTrait> Run<'_, C> {
    fn repair(
        &mut self,
        table: &'static str,
        id: i64,
        problem: impl Into<String>,
        action: impl Into<String>,
    ) {
        self.report.repairs.push(Repair {
            table,
            id,
            problem: problem.into(),
            action: action.into(),
        });
    }

    /// Records a repaired value's note, if any.
    fn note<T>(&mut self, table: &'static str, id: i64, (value, note): repair::Repaired<T>) -> T {
        if let Some(problem) = note {
            self.repair(table, id, problem, "repaired");
        }
        value
    }

    fn tick(&mut self, table: &'static str, done: u64, total: u64) {
        (self.progress)(Progress {
            table,
            done,
            total,
            elapsed_secs: self.started.elapsed().as_secs_f64(),
        });
    }

    /// Reads a whole old table a batch at a time, handing each batch to `each`.
    async fn each_batch<T, F>(
        &mut self,
        table: &'static str,
        cols: &str,
        mut each: F,
    ) -> Result<(u64, u64), ServiceError>
    where
        T: sea_orm_free::FromRow,
        F: for<'r> FnMut(
            &'r mut Self,
            Vec<T>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<u64, ServiceError>> + Send + 'r>,
        >,
    {
        let total = legacy::count(self.legacy.reader(), table).await?;
        let (mut read, mut written, mut after) = (0u64, 0u64, 0i64);
        loop {
            let batch: Vec<T> = T::read(self.legacy, table, cols, after, BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.id();
            read += batch.len() as u64;
            written += each(self, batch).await?;
            self.tick(table, read, total);
        }
        self.report.tables.push((table, read, written));
        Ok((read, written))
    }
}

/// Reading a legacy table generically.
mod sea_orm_free {
    use fixdesk_db::Database;
    use fixdesk_repository::{RepoError, legacy};

    pub trait FromRow: Sized + Send {
        fn id(&self) -> i64;
        fn read(
            db: &Database,
            table: &'static str,
            cols: &str,
            after: i64,
            limit: u64,
        ) -> impl std::future::Future<Output = Result<Vec<Self>, RepoError>> + Send;
    }

    macro_rules! from_row {
        ($($t:ty),*) => {$(
            impl FromRow for $t {
                fn id(&self) -> i64 {
                    self.id
                }

                fn read(db: &Database, table: &'static str, cols: &str, after: i64, limit: u64) -> impl std::future::Future<Output = Result<Vec<Self>, RepoError>> + Send {
                    let cols = cols.to_string();
                    let reader = db.reader().clone();
                    async move { legacy::rows::<$t, _>(&reader, table, &cols, after, limit).await }
                }
            }
        )*};
    }

    from_row!(
        legacy::User,
        legacy::Category,
        legacy::Ticket,
        legacy::Message,
        legacy::Equipment,
        legacy::Maintenance,
        legacy::AuditRow,
        legacy::Notification,
        legacy::Attachment
    );
}

/// Imports `options.source` into `target` (one transaction; a dry run rolls it back).
pub(crate) async fn import(
    target: &Database,
    files: &dyn FileStore,
    options: &ImportOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<ImportReport, ServiceError> {
    let legacy = Database::connect_read_only(&options.source).await?;
    let uow = target.begin_write().await?;
    let (users_now, tickets_now) = import::target_rows(uow.conn()).await?;
    if tickets_now > 0 || users_now > 1 {
        return Err(DomainError::ImportTargetNotEmpty.into());
    }
    let mut run = Run {
        conn: uow.conn(),
        legacy: &legacy,
        now: clock::now(),
        report: ImportReport {
            dry_run: options.dry_run,
            ..Default::default()
        },
        progress,
        started: Instant::now(),
    };
    let people = import_users(&mut run).await?;
    let categories = import_categories(&mut run).await?;
    let equipment = import_equipment(&mut run, &people).await?;
    let tickets = import_tickets(&mut run, &people, &categories, &equipment).await?;
    import_messages(&mut run, &tickets, &people).await?;
    import_maintenance(&mut run, &equipment).await?;
    import_attachments(&mut run, &tickets, files, options).await?;
    import_notifications(&mut run, &people).await?;
    import_audit(&mut run, &people).await?;
    import::recount_messages(run.conn).await?;
    import::refresh_last_maintenance(run.conn).await?;
    let counters = statistics::recompute(run.conn).await?;
    statistics::replace(run.conn, &counters).await?;
    import::advance_sequences(run.conn).await?;
    let mut report = run.report;
    report.seconds = run.started.elapsed().as_secs_f64();
    if options.dry_run {
        uow.rollback().await?;
    } else {
        uow.commit().await?;
    }
    legacy.close().await;
    Ok(report)
}

/// The users that exist after the user step.
struct People {
    /// Every user id that now exists.
    known: HashSet<i64>,
    /// The stand-ins for users the old data referred to but no longer had.
    placeholders: HashSet<i64>,
}

/// Users, placeholders for the missing ones, and the seeded admin moved out of the way.
async fn import_users<C: ConnectionTrait>(run: &mut Run<'_, C>) -> Result<People, ServiceError> {
    let seeded = users::all(run.conn).await?;
    let referenced = legacy::referenced_user_ids(run.legacy.reader()).await?;
    let mut all: Vec<legacy::User> = Vec::new();
    run.each_batch("users", columns::USERS, |_, batch: Vec<legacy::User>| {
        all.extend(batch.iter().cloned());
        let n = batch.len() as u64;
        Box::pin(async move { Ok(n) })
    })
    .await?;
    let legacy_ids: HashSet<i64> = all.iter().map(|u| u.id).collect();
    for s in &seeded {
        if legacy_ids.contains(&s.id.0) {
            run.repair(
                "users",
                s.id.0,
                format!("fixdesk's seeded account '{}' has this id", s.username),
                "replaced by the imported user",
            );
        } else if all
            .iter()
            .any(|u| u.username.as_deref() == Some(s.username.as_str()))
        {
            import::retire_user(run.conn, s.id.0, run.now).await?;
            run.repair(
                "users",
                s.id.0,
                format!(
                    "fixdesk's seeded account '{}' has an imported user's name",
                    s.username
                ),
                "seeded account retired",
            );
        }
        sessions::revoke_all(run.conn, s.id, None, run.now).await?;
    }
    let mut emails: HashSet<String> = HashSet::new();
    let mut names: HashSet<String> = HashSet::new();
    let mut rows_out = Vec::new();
    for u in all {
        let id = u.id;
        let raw_name = u.username.clone().unwrap_or_default();
        let mut username = match Username::parse(&raw_name) {
            Ok(n) => n.into_inner(),
            Err(e) => {
                let fixed: String = raw_name
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("_")
                    .chars()
                    .take(40)
                    .collect();
                let fixed = if fixed.chars().count() < 3 {
                    format!("user_{id}")
                } else {
                    fixed
                };
                run.repair(
                    "users",
                    id,
                    format!("username '{raw_name}': {}", e.message),
                    format!("renamed to '{fixed}'"),
                );
                fixed
            }
        };
        if !names.insert(username.clone()) {
            let renamed = format!("{username}_{id}");
            run.repair(
                "users",
                id,
                format!("username '{username}' is taken"),
                format!("renamed to '{renamed}'"),
            );
            username = renamed;
            names.insert(username.clone());
        }
        let email = match u.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(raw) => match fixdesk_domain::Email::parse(raw) {
                Err(_) => {
                    run.repair(
                        "users",
                        id,
                        format!("email '{raw}' is not an address"),
                        "email removed",
                    );
                    None
                }
                Ok(e) if !emails.insert(e.as_str().to_string()) => {
                    run.repair(
                        "users",
                        id,
                        format!("email '{raw}' belongs to another user (differing only in case)"),
                        "email removed",
                    );
                    None
                }
                Ok(e) => Some(e.into_inner()),
            },
        };
        let role = run.note("users", id, repair::role(u.role.as_deref()));
        let is_active = match u.is_active {
            Some(a) => a,
            None => {
                run.repair("users", id, "is_active missing", "imported inactive");
                false
            }
        };
        let hashed_password = match u.hashed_password.filter(|h| !h.is_empty()) {
            Some(h) => h,
            None => {
                run.repair(
                    "users",
                    id,
                    "no password hash",
                    "cannot sign in until a password is set",
                );
                NO_PASSWORD.into()
            }
        };
        let full_name = run.note(
            "users",
            id,
            repair::optional_text("full_name", u.full_name.as_deref(), 100),
        );
        rows_out.push(rows::User {
            id,
            username,
            email,
            hashed_password,
            full_name,
            role: role.as_str().into(),
            is_active,
            created_at: run.now,
            updated_at: run.now,
            deleted_at: None,
        });
    }
    let mut known: HashSet<i64> = rows_out.iter().map(|u| u.id).collect();
    known.extend(seeded.iter().map(|s| s.id.0));
    let missing: HashSet<i64> = referenced
        .into_iter()
        .filter(|id| !known.contains(id))
        .collect();
    for &id in &missing {
        run.repair(
            "users",
            id,
            "referred to but missing",
            "placeholder 'deleted user' created",
        );
        rows_out.push(rows::User {
            id,
            username: format!("deleted_user_{id}"),
            email: None,
            hashed_password: NO_PASSWORD.into(),
            full_name: Some(format!("Удалённый пользователь #{id}")),
            role: Role::User.as_str().into(),
            is_active: false,
            created_at: run.now,
            updated_at: run.now,
            deleted_at: Some(run.now),
        });
        known.insert(id);
    }
    import::users(run.conn, rows_out).await?;
    Ok(People {
        known,
        placeholders: missing,
    })
}

async fn import_categories<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
) -> Result<HashSet<i64>, ServiceError> {
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    run.each_batch(
        "ticket_categories",
        columns::CATEGORIES,
        |run, batch: Vec<legacy::Category>| {
            let mut out = Vec::new();
            for c in batch {
                let fallback = format!("Категория {}", c.id);
                let mut name = run.note(
                    "ticket_categories",
                    c.id,
                    repair::text("name", c.name.as_deref(), 100, Some(&fallback)),
                );
                if !names.insert(name.clone()) {
                    let renamed = format!("{name} ({})", c.id);
                    run.repair(
                        "ticket_categories",
                        c.id,
                        format!("name '{name}' is taken"),
                        format!("renamed to '{renamed}'"),
                    );
                    name = renamed;
                    names.insert(name.clone());
                }
                ids.insert(c.id);
                out.push(rows::Category {
                    id: c.id,
                    name,
                    description: run.note(
                        "ticket_categories",
                        c.id,
                        repair::optional_text("description", c.description.as_deref(), 1000),
                    ),
                    is_active: c.is_active.unwrap_or(true),
                    created_at: run.note(
                        "ticket_categories",
                        c.id,
                        repair::timestamp("created_at", c.created_at.as_deref(), run.now),
                    ),
                    updated_at: repair::parse_timestamp(c.updated_at.as_deref()),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::categories(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await?;
    Ok(ids)
}

async fn import_equipment<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    people: &People,
) -> Result<HashSet<i64>, ServiceError> {
    let mut ids = HashSet::new();
    run.each_batch(
        "equipment",
        columns::EQUIPMENT,
        |run, batch: Vec<legacy::Equipment>| {
            let mut out = Vec::new();
            for e in batch {
                let id = e.id;
                let fallback = format!("Оборудование {id}");
                let status = match e
                    .status
                    .as_deref()
                    .map(str::trim)
                    .unwrap_or("active")
                    .parse::<EquipmentStatus>()
                {
                    Ok(s) => s,
                    Err(_) => {
                        run.repair(
                            "equipment",
                            id,
                            format!(
                                "status '{}' is not a status",
                                e.status.clone().unwrap_or_default()
                            ),
                            "set to repair",
                        );
                        EquipmentStatus::Repair
                    }
                };
                if let Some(by) = e.created_by_id.filter(|u| people.placeholders.contains(u)) {
                    run.repair(
                        "equipment",
                        id,
                        format!("creator {by} does not exist"),
                        "points at the 'deleted user' placeholder",
                    );
                }
                if e.kind.as_deref().is_none_or(|k| k.trim().is_empty()) {
                    run.repair(
                        "equipment",
                        id,
                        "no type",
                        "left without a type (it matches no category)",
                    );
                }
                let opt = |run: &mut Run<'_, C>, f: &str, v: &Option<String>, max| {
                    run.note("equipment", id, repair::optional_text(f, v.as_deref(), max))
                };
                ids.insert(id);
                out.push(rows::Equipment {
                    id,
                    name: run.note(
                        "equipment",
                        id,
                        repair::text("name", e.name.as_deref(), 200, Some(&fallback)),
                    ),
                    kind: opt(run, "type", &e.kind, 100),
                    model: opt(run, "model", &e.model, 200),
                    serial_number: opt(run, "serial_number", &e.serial_number, 200),
                    inventory_number: opt(run, "inventory_number", &e.inventory_number, 200),
                    location: opt(run, "location", &e.location, 200),
                    status: status.as_str().into(),
                    purchase_date: repair::parse_timestamp(e.purchase_date.as_deref()),
                    warranty_end_date: repair::parse_timestamp(e.warranty_end_date.as_deref()),
                    last_maintenance_date: repair::parse_timestamp(
                        e.last_maintenance_date.as_deref(),
                    ),
                    responsible_person: opt(run, "responsible_person", &e.responsible_person, 200),
                    notes: e.notes.filter(|n| !n.trim().is_empty()),
                    created_at: run.note(
                        "equipment",
                        id,
                        repair::timestamp("created_at", e.created_at.as_deref(), run.now),
                    ),
                    created_by_id: e.created_by_id.unwrap_or(0),
                    updated_at: repair::parse_timestamp(e.updated_at.as_deref()),
                    updated_by_id: e.updated_by_id,
                    deleted_at: None,
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::equipment_items(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await?;
    Ok(ids)
}

async fn import_tickets<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    known: &People,
    categories: &HashSet<i64>,
    equipment: &HashSet<i64>,
) -> Result<HashSet<i64>, ServiceError> {
    let people: HashMap<i64, (bool, bool)> = users::with_ids(
        run.conn,
        known.known.iter().copied().map(fixdesk_domain::UserId),
    )
    .await?
    .into_iter()
    .map(|u| (u.id.0, (u.role.is_staff(), u.is_active)))
    .collect();
    let mut ids = HashSet::new();
    run.each_batch(
        "tickets",
        columns::TICKETS,
        |run, batch: Vec<legacy::Ticket>| {
            let mut out = Vec::new();
            for t in batch {
                let id = t.id;
                let status = run.note("tickets", id, repair::status(t.status.as_deref()));
                let created_at = run.note(
                    "tickets",
                    id,
                    repair::timestamp("created_at", t.created_at.as_deref(), run.now),
                );
                let updated_at =
                    repair::parse_timestamp(t.updated_at.as_deref()).unwrap_or(created_at);
                let category_id = t.category_id.filter(|c| {
                    let ok = categories.contains(c);
                    if !ok {
                        run.repair(
                            "tickets",
                            id,
                            format!("category {c} does not exist"),
                            "category removed",
                        );
                    }
                    ok
                });
                let equipment_id = t.equipment_id.filter(|e| {
                    let ok = equipment.contains(e);
                    if !ok {
                        run.repair(
                            "tickets",
                            id,
                            format!("equipment {e} does not exist"),
                            "equipment removed",
                        );
                    }
                    ok
                });
                let assigned_to_id = match t.assigned_to_id {
                    Some(a) if people.get(&a) == Some(&(true, false)) => {
                        run.repair(
                            "tickets",
                            id,
                            format!("assignee {a} is an inactive agent"),
                            "kept: the assignment is history",
                        );
                        Some(a)
                    }
                    Some(a) if people.get(&a).is_some_and(|p| p.0) => Some(a),
                    Some(a) => {
                        run.repair(
                            "tickets",
                            id,
                            format!("assignee {a} is not an agent or admin"),
                            "unassigned",
                        );
                        None
                    }
                    None => None,
                };
                if let Some(creator) = t.creator_id.filter(|c| known.placeholders.contains(c)) {
                    run.repair(
                        "tickets",
                        id,
                        format!("creator {creator} does not exist"),
                        "points at the 'deleted user' placeholder",
                    );
                }
                ids.insert(id);
                out.push(rows::Ticket {
                    id,
                    title: run.note(
                        "tickets",
                        id,
                        repair::text("title", t.title.as_deref(), 100, Some("Без названия")),
                    ),
                    description: t.description.unwrap_or_default(),
                    status: status.rank(),
                    priority: run
                        .note("tickets", id, repair::priority(t.priority.as_deref()))
                        .rank(),
                    resolution: t.resolution.filter(|r| !r.trim().is_empty()),
                    room_number: run.note(
                        "tickets",
                        id,
                        repair::text(
                            "room_number",
                            t.room_number.as_deref(),
                            20,
                            Some("не указан"),
                        ),
                    ),
                    created_at,
                    updated_at,
                    // The old service kept no closing time: the last update is the best we have.
                    closed_at: (status == fixdesk_domain::TicketStatus::Closed)
                        .then_some(updated_at),
                    status_changed_at: updated_at,
                    is_hidden_for_creator: t.is_hidden_for_creator.unwrap_or(false),
                    creator_id: t.creator_id.unwrap_or(0),
                    assigned_to_id,
                    category_id,
                    equipment_id,
                    messages_count: 0,
                    search_text: String::new(),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::tickets(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await?;
    Ok(ids)
}

async fn import_messages<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    tickets: &HashSet<i64>,
    people: &People,
) -> Result<(), ServiceError> {
    run.each_batch(
        "ticket_messages",
        columns::MESSAGES,
        |run, batch: Vec<legacy::Message>| {
            let mut out = Vec::new();
            for m in batch {
                match m.ticket_id.filter(|t| tickets.contains(t)) {
                    None => run.repair(
                        "ticket_messages",
                        m.id,
                        format!("ticket {} does not exist", m.ticket_id.unwrap_or_default()),
                        "skipped",
                    ),
                    Some(ticket_id) => {
                        if let Some(author) = m.user_id.filter(|u| people.placeholders.contains(u))
                        {
                            run.repair(
                                "ticket_messages",
                                m.id,
                                format!("author {author} does not exist"),
                                "points at the 'deleted user' placeholder",
                            );
                        }
                        out.push(rows::Message {
                            id: m.id,
                            ticket_id,
                            user_id: m.user_id.unwrap_or(0),
                            message: m.message.unwrap_or_default(),
                            created_at: run.note(
                                "ticket_messages",
                                m.id,
                                repair::timestamp("created_at", m.created_at.as_deref(), run.now),
                            ),
                        })
                    }
                }
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::messages(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}

async fn import_maintenance<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    equipment: &HashSet<i64>,
) -> Result<(), ServiceError> {
    run.each_batch(
        "maintenance",
        columns::MAINTENANCE,
        |run, batch: Vec<legacy::Maintenance>| {
            let mut out = Vec::new();
            for m in batch {
                let Some(equipment_id) = m.equipment_id.filter(|e| equipment.contains(e)) else {
                    run.repair(
                        "maintenance",
                        m.id,
                        format!(
                            "equipment {} does not exist",
                            m.equipment_id.unwrap_or_default()
                        ),
                        "skipped",
                    );
                    continue;
                };
                let kind = match m
                    .action_type
                    .as_deref()
                    .unwrap_or_default()
                    .parse::<MaintenanceKind>()
                {
                    Ok(k) => k,
                    Err(_) => {
                        run.repair(
                            "maintenance",
                            m.id,
                            format!(
                                "type '{}' is not a maintenance type",
                                m.action_type.clone().unwrap_or_default()
                            ),
                            "set to other",
                        );
                        MaintenanceKind::Other
                    }
                };
                out.push(rows::Maintenance {
                    id: m.id,
                    equipment_id,
                    action_type: kind.as_str().into(),
                    description: m.description.unwrap_or_default(),
                    performed_at: run.note(
                        "maintenance",
                        m.id,
                        repair::timestamp("performed_at", m.performed_at.as_deref(), run.now),
                    ),
                    performed_by: m.performed_by.unwrap_or(0),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::maintenance_records(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}

/// Attachment rows come with their files: a row whose file cannot be had (no uploads
/// directory, missing, unsafe name or content not matching its type) is skipped and reported.
async fn import_attachments<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    tickets: &HashSet<i64>,
    files: &dyn FileStore,
    options: &ImportOptions,
) -> Result<(), ServiceError> {
    let mut all: Vec<legacy::Attachment> = Vec::new();
    run.each_batch(
        "attachments",
        columns::ATTACHMENTS,
        |_, batch: Vec<legacy::Attachment>| {
            all.extend(batch);
            Box::pin(async { Ok(0) })
        },
    )
    .await?;
    let mut written = 0;
    for a in all {
        let Some(ticket_id) = a.ticket_id.filter(|t| tickets.contains(t)) else {
            run.repair("attachments", a.id, "ticket does not exist", "skipped");
            continue;
        };
        let name = match UploadName::parse(a.filename.as_deref().unwrap_or_default()) {
            Ok(n) => n,
            Err(e) => {
                run.repair(
                    "attachments",
                    a.id,
                    format!(
                        "file name '{}': {e}",
                        a.filename.clone().unwrap_or_default()
                    ),
                    "skipped",
                );
                continue;
            }
        };
        let source = options.uploads.as_ref().and_then(|dir| {
            let stored = a.stored_filename.clone()?;
            let candidates = [
                dir.join(ticket_id.to_string()).join(&stored),
                dir.join(a.file_path.clone()?.trim_start_matches("uploads/")),
            ];
            candidates.into_iter().find(|p| p.is_file())
        });
        let Some(source) = source else {
            run.repair(
                "attachments",
                a.id,
                "file not found in the uploads directory",
                "skipped",
            );
            continue;
        };
        let stored_filename = format!("{}.{}", uuid::Uuid::new_v4(), name.extension);
        let key = format!("{ticket_id}/{stored_filename}");
        let file = tokio::fs::File::open(&source)
            .await
            .map_err(ServiceError::internal)?;
        let body = tokio_util::io::ReaderStream::new(file).map_ok(|b| b.to_vec());
        let stored = match files
            .put(
                &key,
                Box::pin(body),
                fixdesk_domain::attachment::MAX_ATTACHMENT_BYTES,
            )
            .await
        {
            Ok(s) => s,
            Err(e) => {
                run.repair(
                    "attachments",
                    a.id,
                    format!("file could not be stored: {e}"),
                    "skipped",
                );
                continue;
            }
        };
        if !content_matches(name.extension, &stored.head) {
            crate::files::remove_all(files, vec![key]).await;
            run.repair(
                "attachments",
                a.id,
                "content does not match the file type",
                "skipped",
            );
            continue;
        }
        import::attachments(
            run.conn,
            vec![rows::Attachment {
                id: a.id,
                ticket_id,
                filename: name.display,
                stored_filename,
                file_path: key,
                file_size: i64::try_from(stored.size).unwrap_or(i64::MAX),
                content_type: name.content_type.into(),
                description: a.description.filter(|d| !d.trim().is_empty()),
                uploaded_at: repair::parse_timestamp(a.uploaded_at.as_deref()).unwrap_or(run.now),
                uploaded_by: a.uploaded_by.unwrap_or(0),
            }],
        )
        .await?;
        written += 1;
    }
    if let Some(t) = run.report.tables.iter_mut().find(|t| t.0 == "attachments") {
        t.2 = written;
    }
    Ok(())
}

/// Notifications go to their users; those of users who no longer exist are skipped (nobody
/// could read them).
async fn import_notifications<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    people: &People,
) -> Result<(), ServiceError> {
    run.each_batch(
        "notifications",
        columns::NOTIFICATIONS,
        |run, batch: Vec<legacy::Notification>| {
            let mut out = Vec::new();
            for n in batch {
                let Some(user_id) = n
                    .user_id
                    .filter(|u| people.known.contains(u) && !people.placeholders.contains(u))
                else {
                    run.repair(
                        "notifications",
                        n.id,
                        format!("user {} does not exist", n.user_id.unwrap_or_default()),
                        "skipped",
                    );
                    continue;
                };
                let kind = n
                    .notification_type
                    .as_deref()
                    .unwrap_or_default()
                    .parse::<NotificationKind>()
                    .unwrap_or_else(|_| {
                        run.repair(
                            "notifications",
                            n.id,
                            format!(
                                "type '{}' is unknown",
                                n.notification_type.clone().unwrap_or_default()
                            ),
                            "set to system",
                        );
                        NotificationKind::System
                    });
                out.push(rows::Notification {
                    id: n.id,
                    user_id,
                    title: run.note(
                        "notifications",
                        n.id,
                        repair::text("title", n.title.as_deref(), 200, Some("Уведомление")),
                    ),
                    message: n.message.unwrap_or_default(),
                    notification_type: kind.as_str().into(),
                    related_id: n.related_id,
                    is_read: n.is_read.unwrap_or(false),
                    created_at: run.note(
                        "notifications",
                        n.id,
                        repair::timestamp("created_at", n.created_at.as_deref(), run.now),
                    ),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::notifications(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}

/// Old audit rows are appended to the chain in their order, each description marked with the
/// old id; an actor that no longer exists is kept as a placeholder.
async fn import_audit<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
    people: &People,
) -> Result<(), ServiceError> {
    run.each_batch(
        "audit_logs",
        columns::AUDIT,
        |run, batch: Vec<legacy::AuditRow>| {
            let mut out = Vec::new();
            for r in batch {
                let id = r.id;
                if let Some(actor) = r.user_id.filter(|u| people.placeholders.contains(u)) {
                    run.repair(
                        "audit_logs",
                        id,
                        format!("actor {actor} does not exist"),
                        "points at the 'deleted user' placeholder",
                    );
                }
                if r.entity_type.as_deref() == Some("user")
                    && r.entity_id
                        .is_some_and(|e| people.placeholders.contains(&e))
                {
                    run.repair(
                        "audit_logs",
                        id,
                        format!("refers to deleted user {}", r.entity_id.unwrap_or_default()),
                        "points at the 'deleted user' placeholder",
                    );
                }
                out.push(audit::RawEntry {
                    action_type: r.action_type.unwrap_or_else(|| "UNKNOWN".into()),
                    description: format!("[импорт #{id}] {}", r.description.unwrap_or_default()),
                    entity_type: r.entity_type,
                    entity_id: r.entity_id,
                    old_values: run.note(
                        "audit_logs",
                        id,
                        repair::json_text("old_values", r.old_values.as_deref()),
                    ),
                    new_values: run.note(
                        "audit_logs",
                        id,
                        repair::json_text("new_values", r.new_values.as_deref()),
                    ),
                    ip_address: r.ip_address,
                    user_agent: r.user_agent,
                    created_at: run.note(
                        "audit_logs",
                        id,
                        repair::timestamp("created_at", r.created_at.as_deref(), run.now),
                    ),
                    user_id: r.user_id.filter(|u| people.known.contains(u)),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                for row in out {
                    audit::append_raw(run.conn, row).await?;
                }
                Ok(n)
            })
        },
    )
    .await
    .map(drop)
}
