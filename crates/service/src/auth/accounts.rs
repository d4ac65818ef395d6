//! Managing users: admins create, list, change and delete them; everyone reads themself and the
//! id→name directory, and changes their own password.

use std::sync::Arc;

use fixdesk_domain::{
    Actor, ClientInfo, DomainError, NewUser, Page, Password, Preferences, PreferencesChange, User,
    UserChanges, UserId, policy,
};
use fixdesk_repository::{preferences, sessions, users};

use fixdesk_usecases::{ServiceError, UserBasic, UserUseCases, async_trait};

use crate::{clock, context::Context, trail};

#[derive(Debug, Clone)]
pub struct Users {
    ctx: Arc<Context>,
}

impl Users {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

#[async_trait]
impl UserUseCases for Users {
    async fn create(
        &self,
        actor: &Actor,
        new: NewUser,
        client: &ClientInfo,
    ) -> Result<User, ServiceError> {
        actor.require_admin()?;
        let hash = self.ctx.hasher.hash(&new.password).await?;
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        let email = new.email.map(|e| e.into_inner());
        ensure_unique(
            uow.conn(),
            email.as_deref(),
            Some(new.username.as_str()),
            None,
        )
        .await?;
        let row = users::NewUserRow {
            username: new.username.into_inner(),
            email,
            hashed_password: hash,
            full_name: new.full_name.map(|f| f.into_inner()),
            role: new.role,
            is_active: new.is_active,
        };
        let user = users::insert(uow.conn(), row, now)
            .await
            .map_err(unique_to_domain)?;
        trail::commit(uow, trail::user_created(actor.id, &user, client), now).await?;
        Ok(user)
    }

    async fn list(&self, actor: &Actor, page: Page) -> Result<Vec<User>, ServiceError> {
        actor.require_admin()?;
        Ok(users::list(self.ctx.db.reader(), page).await?)
    }

    async fn search(&self, actor: &Actor, term: &str) -> Result<Vec<User>, ServiceError> {
        actor.require_admin()?;
        Ok(users::all(self.ctx.db.reader())
            .await?
            .into_iter()
            .filter(|u| u.matches(term))
            .collect())
    }

    async fn directory(&self, _actor: &Actor) -> Result<Vec<UserBasic>, ServiceError> {
        let all = users::all(self.ctx.db.reader()).await?;
        Ok(all
            .into_iter()
            .map(|u| UserBasic {
                id: u.id,
                username: u.username,
                full_name: u.full_name,
                role: u.role,
            })
            .collect())
    }

    async fn me(&self, actor: &Actor) -> Result<User, ServiceError> {
        users::find(self.ctx.db.reader(), actor.id)
            .await?
            .ok_or(ServiceError::InvalidToken)
    }

    async fn get(&self, actor: &Actor, id: UserId) -> Result<User, ServiceError> {
        actor
            .require_admin()
            .map_err(|_| DomainError::CannotViewUser)?;
        users::find(self.ctx.db.reader(), id)
            .await?
            .ok_or_else(|| DomainError::UserNotFound.into())
    }

    async fn update(
        &self,
        actor: &Actor,
        id: UserId,
        changes: UserChanges,
        client: &ClientInfo,
    ) -> Result<User, ServiceError> {
        actor
            .require_admin()
            .map_err(|_| DomainError::CannotUpdateUser)?;
        let hash = match &changes.password {
            Some(p) => Some(self.ctx.hasher.hash(p).await?),
            None => None,
        };
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        let before = users::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::UserNotFound)?;
        let others = users::count_active_admins_except(uow.conn(), id).await?;
        policy::ensure_admins_remain(&before, Some(&changes), others)?;
        let ends_sessions = changes.ends_sessions(&before);
        let email = changes
            .email
            .clone()
            .into_change()
            .map(|e| e.map(|e| e.into_inner()));
        let new_email = email.as_ref().and_then(|e| e.as_deref());
        let new_name = changes.username.as_ref().map(|u| u.as_str());
        ensure_unique(uow.conn(), new_email, new_name, Some(id)).await?;
        let update = users::UserUpdate {
            username: changes.username.map(|u| u.into_inner()),
            email,
            full_name: changes
                .full_name
                .into_change()
                .map(|f| f.map(|f| f.into_inner())),
            hashed_password: hash,
            role: changes.role,
            is_active: changes.is_active,
        };
        let password_changed = update.hashed_password.is_some();
        let after = users::update(uow.conn(), id, update, now)
            .await
            .map_err(unique_to_domain)?;
        if ends_sessions {
            sessions::revoke_all(uow.conn(), id, None, now).await?;
        }
        let entry = trail::user_updated(actor.id, &before, &after, password_changed, client);
        trail::commit(uow, entry, now).await?;
        // The cached actor carries the role and name; drop it whatever changed.
        self.ctx.sessions.forget_user(id);
        Ok(after)
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: UserId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        actor.require_admin()?;
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        let target = users::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::UserNotFound)?;
        policy::ensure_can_delete(actor, &target)?;
        let others = users::count_active_admins_except(uow.conn(), id).await?;
        policy::ensure_admins_remain(&target, None, others)?;
        users::tombstone(uow.conn(), id, now).await?;
        sessions::revoke_all(uow.conn(), id, None, now).await?;
        trail::commit(uow, trail::user_deleted(actor.id, &target, client), now).await?;
        self.ctx.sessions.forget_user(id);
        Ok(())
    }

    async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let stored = users::password_hash(self.ctx.db.reader(), actor.id).await?;
        if !self
            .ctx
            .hasher
            .verify(current, Some(&stored))
            .await?
            .matches
        {
            return Err(DomainError::WrongCurrentPassword.into());
        }
        let new = match Password::parse(new) {
            Ok(p) => p,
            Err(e) if new.trim().is_empty() && !new.is_empty() => {
                return Err(DomainError::from(e).into());
            }
            Err(_) if new.chars().count() < Password::MIN => {
                return Err(DomainError::NewPasswordTooShort.into());
            }
            Err(_) => return Err(DomainError::NewPasswordTooLong.into()),
        };
        let hash = self.ctx.hasher.hash(&new).await?;
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        let change = users::UserUpdate {
            hashed_password: Some(hash),
            ..Default::default()
        };
        let user = users::update(uow.conn(), actor.id, change, now).await?;
        sessions::revoke_all(uow.conn(), actor.id, Some(&actor.session), now).await?;
        trail::commit(uow, trail::password_changed(&user, client), now).await?;
        self.ctx.sessions.forget_user(actor.id);
        Ok(())
    }

    async fn preferences(&self, actor: &Actor) -> Result<Preferences, ServiceError> {
        Ok(preferences::find(self.ctx.db.reader(), actor.id).await?)
    }

    async fn set_preferences(
        &self,
        actor: &Actor,
        change: PreferencesChange,
        client: &ClientInfo,
    ) -> Result<Preferences, ServiceError> {
        // Most calls change nothing (a list shown again with its remembered filters): the
        // reader says so without taking the writer.
        let seen = preferences::find(self.ctx.db.reader(), actor.id).await?;
        if change.apply_to(&seen).is_none() {
            return Ok(seen);
        }
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        let current = preferences::find(uow.conn(), actor.id).await?;
        let Some(next) = change.apply_to(&current) else {
            return Ok(current);
        };
        preferences::save(uow.conn(), actor.id, &next, now).await?;
        let chosen = next.time_zone != current.time_zone && !change.learnt;
        if !chosen && next.language == current.language {
            uow.commit().await?;
        } else {
            let entry = trail::preferences_changed(actor, &current, &next, client);
            trail::commit(uow, entry, now).await?;
        }
        Ok(next)
    }
}

/// The old API's order: the e-mail is checked first, then the username. `except` is the user
/// being changed, whose own values are no conflict.
async fn ensure_unique<C: fixdesk_db::ConnectionTrait>(
    conn: &C,
    email: Option<&str>,
    username: Option<&str>,
    except: Option<UserId>,
) -> Result<(), ServiceError> {
    if let Some(e) = email
        && users::email_taken(conn, e, except).await?
    {
        return Err(DomainError::EmailTaken.into());
    }
    if let Some(u) = username
        && users::username_taken(conn, u, except).await?
    {
        return Err(DomainError::UsernameTaken.into());
    }
    Ok(())
}

/// A unique index caught what the check before it missed (a concurrent write on PostgreSQL).
fn unique_to_domain(e: fixdesk_repository::RepoError) -> ServiceError {
    match e {
        fixdesk_repository::RepoError::Conflict { constraint } if constraint.contains("email") => {
            DomainError::EmailTaken.into()
        }
        fixdesk_repository::RepoError::Conflict { .. } => DomainError::UsernameTaken.into(),
        other => other.into(),
    }
}
