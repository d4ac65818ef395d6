//! `import-legacy`: brings a database of the old ticket-system into fixdesk in one
//! transaction. Ids are kept (so saved links keep working), dirty values are repaired by the
//! rules of [`repair`] or the row is skipped — never silently: every repair and every skip is
//! in the report. Users the old data refers to but no longer has become placeholder
//! "deleted user" records with the same id. The statistics counters are rebuilt at the end,
//! and imported audit rows join the tamper-evident chain, marked as imported.

mod attachments;
mod audit;
mod categories;
mod equipment;
mod legacy_rows;
mod maintenance;
mod messages;
mod notifications;
mod repair;
mod report;
mod run;
mod tickets;
mod users;

use std::time::Instant;

use fixdesk_db::Database;
use fixdesk_domain::DomainError;
use fixdesk_repository::{import, statistics};
use fixdesk_usecases::ServiceError;

pub use report::{ImportOptions, ImportReport, Progress, Repair};
use run::Run;

use crate::{clock, files::FileStore};

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
        now: clock::wall(),
        report: ImportReport {
            dry_run: options.dry_run,
            ..Default::default()
        },
        progress,
        started: Instant::now(),
    };
    let people = users::import(&mut run).await?;
    let categories = categories::import(&mut run).await?;
    let equipment = equipment::import(&mut run, &people).await?;
    let tickets = tickets::import(&mut run, &people, &categories, &equipment).await?;
    messages::import(&mut run, &tickets, &people).await?;
    maintenance::import(&mut run, &equipment).await?;
    attachments::import(&mut run, &tickets, files, options).await?;
    notifications::import(&mut run, &people).await?;
    audit::import(&mut run, &people).await?;
    import::recount_messages(run.conn).await?;
    import::refresh_last_maintenance(run.conn).await?;
    fixdesk_repository::equipment::refresh_search_texts(run.conn).await?;
    // Equipment belongs to the category its type names (ignoring case); the rest is reported.
    for (kind, items) in fixdesk_repository::equipment::link_categories(run.conn).await? {
        run.repair(
            "equipment",
            0,
            format!("type {kind:?} of {items} item(s) names no category"),
            "kept without a category (its type text stays); choose one on the item's page",
        );
    }
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
