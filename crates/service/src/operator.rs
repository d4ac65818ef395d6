//! What the operator of an installation does from the command line when nobody can sign in:
//! create an admin, reset a password. Audited with no acting user.

use std::sync::Arc;

use fixdesk_domain::ChainProblem;
use fixdesk_domain::{
    AuditAction, AuditEntity, ClientInfo, DomainError, NewAuditEntry, Password, Role, User,
    Username,
};
use fixdesk_repository::{audit, sessions, statistics, users};

use fixdesk_usecases::ServiceError;

use crate::{clock, context::Context, trail};

/// A statistics counter whose stored value differs from the recount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterDifference {
    pub counter: String,
    pub stored: [i64; 4],
    pub expected: [i64; 4],
}

#[derive(Debug, Clone)]
pub struct Operator {
    ctx: Arc<Context>,
}

fn operator_entry(action: AuditAction, user: &User, description: String) -> NewAuditEntry {
    NewAuditEntry {
        actor: None,
        action,
        entity: AuditEntity::User,
        entity_id: Some(user.id.0),
        description,
        old_values: None,
        new_values: None,
        client: ClientInfo {
            ip: None,
            user_agent: Some("fixdesk-migrate".into()),
        },
    }
}

impl Operator {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn create_admin(&self, username: &str, password: &str) -> Result<User, ServiceError> {
        let username = Username::parse(username).map_err(DomainError::from)?;
        let password = Password::parse(password).map_err(DomainError::from)?;
        let hash = self.ctx.hasher.hash(&password).await?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        if users::username_taken(uow.conn(), username.as_str(), None).await? {
            return Err(DomainError::UsernameTaken.into());
        }
        let row = users::NewUserRow {
            username: username.into_inner(),
            email: None,
            hashed_password: hash,
            full_name: None,
            role: Role::Admin,
            is_active: true,
        };
        let user = users::insert(uow.conn(), row, now).await?;
        let entry = operator_entry(
            AuditAction::Create,
            &user,
            format!("Оператор создал администратора {}", user.username),
        );
        trail::commit(uow, entry, now).await?;
        Ok(user)
    }

    /// Sets a new password, re-activates the account and ends all of its sessions.
    pub async fn reset_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<User, ServiceError> {
        let password = Password::parse(password).map_err(DomainError::from)?;
        let hash = self.ctx.hasher.hash(&password).await?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let found = users::credentials_by_username(uow.conn(), username)
            .await?
            .ok_or(DomainError::UserNotFound)?;
        let change = users::UserUpdate {
            hashed_password: Some(hash),
            is_active: Some(true),
            ..Default::default()
        };
        let user = users::update(uow.conn(), found.user.id, change, now).await?;
        sessions::revoke_all(uow.conn(), user.id, None, now).await?;
        let entry = operator_entry(
            AuditAction::Update,
            &user,
            format!("Оператор сбросил пароль пользователя {}", user.username),
        );
        trail::commit(uow, entry, now).await?;
        self.ctx.sessions.forget_user(user.id);
        Ok(user)
    }

    /// Recounts every statistic from the tickets (in one read snapshot) and lists each
    /// counter that differs from what is stored.
    pub async fn verify_statistics(&self) -> Result<Vec<CounterDifference>, ServiceError> {
        let uow = self.ctx.db.begin_read().await?;
        let stored = statistics::stored(uow.conn()).await?;
        let expected = statistics::recompute(uow.conn()).await?;
        uow.rollback().await?;
        let mut keys: Vec<_> = stored.keys().chain(expected.keys()).copied().collect();
        keys.sort();
        keys.dedup();
        Ok(keys
            .into_iter()
            .filter_map(|k| {
                let (s, e) = (
                    stored.get(&k).copied().unwrap_or_default(),
                    expected.get(&k).copied().unwrap_or_default(),
                );
                (s != e).then(|| CounterDifference {
                    counter: format!("{k:?}"),
                    stored: s,
                    expected: e,
                })
            })
            .collect())
    }

    /// Replaces every statistics counter with a recount; returns how many rows it wrote.
    pub async fn rebuild_statistics(&self) -> Result<usize, ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        statistics::lock_tickets(uow.conn()).await?;
        let counters = statistics::recompute(uow.conn()).await?;
        statistics::replace(uow.conn(), &counters).await?;
        uow.commit().await?;
        Ok(counters.len())
    }

    /// Runs a preventive-maintenance sweep here and now (as the job does); returns how many
    /// tickets it opened.
    pub async fn maintenance_sweep(&self) -> Result<u32, ServiceError> {
        crate::equipment::preventive::sweep(&self.ctx).await
    }

    /// Delivers one raw e-mail message to the desk (see `mailgate`): a ticket, a message on
    /// one, or why not.
    pub async fn deliver_mail(
        &self,
        raw: &[u8],
    ) -> Result<fixdesk_domain::mail::MailOutcome, ServiceError> {
        crate::mail::gateway::deliver(&self.ctx, raw).await
    }

    /// Fills the full-text index anew from the tables; returns how many documents it holds.
    pub async fn rebuild_search(&self) -> Result<u64, ServiceError> {
        crate::search::reindex(&self.ctx).await
    }

    /// Walks the audit chain and reports every edited row, broken link or missing tail.
    pub async fn verify_audit(&self) -> Result<Vec<ChainProblem>, ServiceError> {
        let uow = self.ctx.db.begin_read().await?;
        let problems = audit::verify(uow.conn()).await?;
        uow.rollback().await?;
        Ok(problems)
    }

    /// Imports a database of the old ticket-system (see `import`).
    pub async fn import_legacy(
        &self,
        options: &crate::ImportOptions,
        progress: &mut (dyn FnMut(crate::Progress) + Send),
    ) -> Result<crate::ImportReport, ServiceError> {
        crate::import::import(&self.ctx.db, self.ctx.files.as_ref(), options, progress).await
    }

    /// Moves every attachment's file into the `to` store (see `file_move`); `data_dir` is
    /// where local files are.
    pub async fn move_files(
        &self,
        to: crate::FileStorage,
        data_dir: &std::path::Path,
    ) -> Result<crate::MoveReport, ServiceError> {
        crate::files::move_files(&self.ctx, to, data_dir).await
    }

    /// The newest jobs, optionally in one state.
    pub async fn jobs(
        &self,
        state: Option<fixdesk_domain::JobState>,
        limit: u64,
    ) -> Result<Vec<fixdesk_domain::Job>, ServiceError> {
        Ok(fixdesk_repository::jobs::list(self.ctx.db.reader(), state, limit).await?)
    }

    /// Removes the jobs that finished more than `keep` ago, exports with their files (what the
    /// hourly housekeeping does with the desk's `job_history`).
    pub async fn prune_jobs(
        &self,
        keep: std::time::Duration,
    ) -> Result<crate::Housekept, ServiceError> {
        crate::jobs::prune(&self.ctx, keep).await
    }

    /// Puts a dead job back in the queue; false if it was not dead.
    pub async fn retry_job(&self, id: i64) -> Result<bool, ServiceError> {
        let uow = self.ctx.db.begin_write().await?;
        let retried = fixdesk_repository::jobs::retry(uow.conn(), id, clock::wall()).await?;
        uow.commit().await?;
        Ok(retried)
    }

    /// Backs the desk up into `target` (a file, or a directory for a dated archive) while it
    /// may go on serving: a consistent snapshot of the database and every stored file, with a
    /// manifest of checksums.
    pub async fn backup(
        &self,
        target: &std::path::Path,
    ) -> Result<crate::BackupReport, crate::BackupError> {
        crate::backup::make(
            &self.ctx,
            &self.ctx.database_url,
            &self.ctx.data_dir,
            target,
        )
        .await
    }
}
