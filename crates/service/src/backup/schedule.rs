//! The desk's own backups: a `backup` job queued every hour (once across instances, like the
//! other sweeps) makes one when the last success is older than the schedule's period, into
//! `backup_dir` under a dated name, then removes the oldest beyond `backup_keep`. At most one
//! backup runs at a time (one `running` row in `backups`); a backup whose job died is marked
//! failed by the next. A failed backup removes nothing: older backups stay until a new one has
//! succeeded. Admins see the last success and failure on their page, and `/ready` reports them.

use std::{path::Path, sync::Arc, time::Duration};

use fixdesk_domain::{
    Actor, DomainError, Job, JobKind, JobState,
    backup::{BackupFile, BackupStatus, is_archive_name, to_rotate},
};
use fixdesk_repository::{backups, jobs};
use fixdesk_usecases::{BackupUseCases, ServiceError, async_trait};
use serde_json::json;

use super::make;
use crate::{clock, context::Context, jobs::lease::Lease};

/// How often the job looks whether a backup is due.
pub(crate) const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// How often a running backup renews its job's lease (well inside the lease).
const RENEW_EVERY: Duration = Duration::from_secs(20);

/// Runs the scheduled backup job: makes a backup if one is due, or says why not.
pub(crate) async fn run_scheduled(
    ctx: &Arc<Context>,
    lease: &Lease,
) -> Result<String, ServiceError> {
    let job = lease.job();
    let Some(plan) = ctx.backup.clone() else {
        return Ok(json!({ "skipped": "no backup_dir" }).to_string());
    };
    let now = ctx.clock.now();
    let forced = job.payload.contains("\"now\"");
    if !forced
        && let Some(last) = backups::last(ctx.db.reader(), "done").await?
        && chrono::Duration::from_std(plan.every).is_ok_and(|every| last.started_at + every > now)
    {
        return Ok(json!({ "skipped": "not due" }).to_string());
    }
    let Some(id) = claim(ctx, job.id).await? else {
        return Ok(json!({ "skipped": "another backup is running" }).to_string());
    };
    clear_partials(&plan.dir).await;
    let making = async {
        tokio::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&plan.dir)
            .await?;
        make(ctx, &ctx.database_url, &ctx.data_dir, &plan.dir).await
    };
    // A backup outlasts a lease: it is renewed meanwhile, so no other worker takes the job.
    let renewing = async {
        loop {
            tokio::time::sleep(RENEW_EVERY).await;
            if let Err(e) = lease.renew(0).await {
                return e;
            }
        }
    };
    let made = tokio::select! {
        made = making => made,
        lost = renewing => Err(super::BackupError::Database(lost)),
    };
    let uow = ctx.db.begin_write().await?;
    let outcome = match &made {
        Ok(report) => Ok((
            file_name(&report.file),
            i64::try_from(report.size).unwrap_or(i64::MAX),
        )),
        Err(e) => Err(e.to_string()),
    };
    backups::finish(uow.conn(), id, outcome, ctx.clock.now()).await?;
    uow.commit().await?;
    match made {
        Ok(report) => {
            let removed = rotate(&plan.dir, plan.keep).await;
            Ok(json!({
                "file": file_name(&report.file),
                "size": report.size,
                "files": report.files,
                "removed": removed,
            })
            .to_string())
        }
        Err(e) => {
            tracing::warn!(error = %e, "the scheduled backup failed; older backups are kept");
            Ok(json!({ "failed": e.to_string() }).to_string())
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Takes the one `running` place for `job`: its own place again if its earlier attempt died
/// half-way; the place of another job that is no longer running (marked failed); or none.
async fn claim(ctx: &Context, job: i64) -> Result<Option<i64>, ServiceError> {
    let now = ctx.clock.now();
    let uow = ctx.db.begin_write().await?;
    if let Some((running, owner)) = backups::running(uow.conn()).await? {
        if owner == Some(job) {
            return Ok(Some(running.id));
        }
        let alive = match owner {
            Some(other) => jobs::held(uow.conn(), other, clock::wall()).await?,
            None => false,
        };
        if alive {
            return Ok(None);
        }
        backups::finish(uow.conn(), running.id, Err("interrupted".into()), now).await?;
    }
    let id = backups::begin(uow.conn(), Some(job), now).await?;
    uow.commit().await?;
    Ok(id)
}

/// Removes what a backup killed half-way left: its `*.partial` archive and its staging
/// directory (only one backup runs at a time, so none of them is in use).
async fn clear_partials(dir: &Path) {
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return;
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".partial") && is_archive_name(name.trim_end_matches(".partial")) {
            let _ = tokio::fs::remove_file(entry.path()).await;
        } else if name.starts_with(super::STAGING_PREFIX) {
            let _ = tokio::fs::remove_dir_all(entry.path()).await;
        }
    }
}

/// The archives in `dir`, newest first.
async fn archives(dir: &Path) -> Vec<BackupFile> {
    let mut found = Vec::new();
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return found;
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_archive_name(&name) {
            continue;
        }
        let meta = entry.metadata().await.ok();
        found.push(BackupFile {
            name,
            size: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta
                .and_then(|m| m.modified().ok())
                .map(|t| chrono::DateTime::<chrono::Utc>::from(t).naive_utc()),
        });
    }
    found.sort_by(|a, b| b.name.cmp(&a.name));
    found
}

/// Removes the oldest archives beyond `keep`; returns their names.
async fn rotate(dir: &Path, keep: usize) -> Vec<String> {
    let names: Vec<String> = archives(dir).await.into_iter().map(|f| f.name).collect();
    let mut removed = Vec::new();
    for name in to_rotate(&names, keep) {
        match tokio::fs::remove_file(dir.join(&name)).await {
            Ok(()) => removed.push(name),
            Err(e) => tracing::warn!(file = %name, error = %e, "could not remove an old backup"),
        }
    }
    removed
}

/// Backups for admins: where the desk stands, and one now.
#[derive(Debug, Clone)]
pub(crate) struct Backups {
    ctx: Arc<Context>,
}

impl Backups {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// The status without the directory's listing (what `/ready` reports).
    pub(crate) async fn summary(&self) -> Result<BackupStatus, ServiceError> {
        let reader = self.ctx.db.reader();
        let plan = self.ctx.backup.as_ref();
        Ok(BackupStatus {
            scheduled: plan.is_some(),
            dir: plan.map(|p| p.dir.display().to_string()),
            every_hours: plan.map_or(0, |p| p.every.as_secs() / 3600),
            keep: plan.map_or(0, |p| p.keep as u64),
            last_success: backups::last(reader, "done").await?,
            last_failure: backups::last(reader, "failed").await?,
            running: backups::running(reader).await?.map(|(r, _)| r),
            files: Vec::new(),
        })
    }
}

#[async_trait]
impl BackupUseCases for Backups {
    async fn status(&self, actor: &Actor) -> Result<BackupStatus, ServiceError> {
        actor.require_admin()?;
        let mut status = self.summary().await?;
        if let Some(plan) = &self.ctx.backup {
            status.files = archives(&plan.dir).await;
        }
        Ok(status)
    }

    async fn start(&self, actor: &Actor) -> Result<Job, ServiceError> {
        actor.require_admin()?;
        if self.ctx.backup.is_none() {
            return Err(DomainError::BackupsOff.into());
        }
        let uow = self.ctx.db.begin_write().await?;
        if jobs::any_in(
            uow.conn(),
            JobKind::Backup,
            &[JobState::Queued, JobState::Running],
        )
        .await?
        {
            return Err(DomainError::BackupPending.into());
        }
        let payload = json!({ "now": true }).to_string();
        let job = jobs::enqueue(
            uow.conn(),
            JobKind::Backup,
            payload,
            Some(actor.id),
            clock::wall(),
        )
        .await?;
        uow.commit().await?;
        Ok(job)
    }

    async fn health(&self) -> Option<BackupStatus> {
        self.summary().await.ok().filter(|s| s.scheduled)
    }
}
