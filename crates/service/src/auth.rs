//! Signing in and out, and turning a presented token into an [`Actor`].

use std::sync::Arc;

use fixdesk_usecases::{AuthUseCases, IssuedToken, ServiceError, async_trait};

use crate::{audit, clock, facade::Context, random};
use fixdesk_domain::{Actor, ClientInfo, SessionId};
use fixdesk_repository::{audit as audit_repo, sessions, users};

#[derive(Debug, Clone)]
pub struct Auth {
    ctx: Arc<Context>,
}

fn new_session_id() -> SessionId {
    SessionId(random::hex(16))
}

impl Auth {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// Refuses the attempt, before any hashing, when the account or this address has failed
    /// too often (`fixdesk_domain::login_guard`). The refusal is audited like a failure.
    async fn guard(
        &self,
        user: &fixdesk_domain::User,
        attempted: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        use fixdesk_domain::login_guard;
        let conn = self.ctx.db.reader();
        let now = clock::now();
        let ip = client.ip.as_deref().unwrap_or_default();
        let from_here =
            audit_repo::failed_logins(conn, user.id, Some(ip), now - login_guard::ADDRESS_WINDOW)
                .await?;
        let in_window =
            audit_repo::failed_logins(conn, user.id, None, now - login_guard::ACCOUNT_WINDOW)
                .await?;
        let known = in_window >= login_guard::PER_ACCOUNT
            && audit_repo::signed_in_from(conn, user.id, ip).await?;
        if let Err(retry_after_secs) = login_guard::check(from_here, in_window, known) {
            let entry = audit::login_failed(attempted, Some(user), "too many failures", client);
            audit::record(&self.ctx.db, entry, now).await?;
            return Err(ServiceError::TooManyAttempts { retry_after_secs });
        }
        Ok(())
    }
}

#[async_trait]
impl AuthUseCases for Auth {
    async fn login(
        &self,
        username: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<IssuedToken, ServiceError> {
        // No account has such a name; the database is not even asked (PostgreSQL cannot
        // compare text holding NUL).
        let creds = if fixdesk_domain::text::forbidden_character(username).is_some() {
            None
        } else {
            users::credentials_by_username(self.ctx.db.reader(), username).await?
        };
        if let Some(c) = &creds {
            self.guard(&c.user, username, client).await?;
        }
        let verified = self
            .ctx
            .hasher
            .verify(password, creds.as_ref().map(|c| c.hashed_password.as_str()))
            .await?;
        let user = creds.map(|c| c.user);
        let failure = match &user {
            Some(u) if verified.matches && !u.is_active => {
                Some(("inactive", ServiceError::InactiveUser))
            }
            Some(_) if verified.matches => None,
            _ => Some(("bad credentials", ServiceError::BadCredentials)),
        };
        if let Some((reason, error)) = failure {
            let entry = audit::login_failed(username, user.as_ref(), reason, client);
            audit::record(&self.ctx.db, entry, clock::now()).await?;
            return Err(error);
        }
        let Some(user) = user else {
            return Err(ServiceError::BadCredentials);
        };
        // The old service's bcrypt hashes are replaced as soon as the password is known.
        let rehash = if verified.needs_rehash {
            match fixdesk_domain::Password::parse(password) {
                Ok(p) => Some(self.ctx.hasher.hash(&p).await?),
                // A legacy password outside today's length rules still signs in; it is
                // re-hashed when the user next changes it.
                Err(_) => None,
            }
        } else {
            None
        };

        let now = clock::now();
        let ttl =
            chrono::Duration::from_std(self.ctx.tokens.ttl()).map_err(ServiceError::internal)?;
        let expires_at = now + ttl;
        let session = new_session_id();
        let uow = self.ctx.db.begin_write().await?;
        sessions::insert(uow.conn(), &session, user.id, now, expires_at).await?;
        if let Some(hash) = rehash {
            let change = users::UserUpdate {
                hashed_password: Some(hash),
                ..Default::default()
            };
            users::update(uow.conn(), user.id, change, now).await?;
        }
        audit::commit(uow, audit::login(&user, client), now).await?;

        let access_token = self
            .ctx
            .tokens
            .issue(&user.username, &session, now, expires_at)?;
        Ok(IssuedToken {
            access_token,
            expires_at,
        })
    }

    async fn logout(&self, actor: &Actor, client: &ClientInfo) -> Result<(), ServiceError> {
        let now = clock::now();
        let uow = self.ctx.db.begin_write().await?;
        sessions::revoke(uow.conn(), actor.id, &actor.session, now).await?;
        audit::commit(uow, audit::logout(actor.id, &actor.username, client), now).await?;
        self.ctx.sessions.forget_session(&actor.session).await;
        Ok(())
    }

    async fn authenticate(&self, token: &str) -> Result<Actor, ServiceError> {
        let session_id = self.ctx.tokens.verify(token)?;
        let now = clock::now();
        let session = match self.ctx.sessions.get(&session_id).await {
            Some(s) => s,
            None => {
                let found = sessions::find_live(self.ctx.db.reader(), &session_id, now)
                    .await?
                    .ok_or(ServiceError::InvalidToken)?;
                let found = Arc::new(found);
                self.ctx.sessions.put(found.clone()).await;
                found
            }
        };
        if session.expires_at <= now {
            return Err(ServiceError::InvalidToken);
        }
        if !session.user_active {
            return Err(ServiceError::InactiveUser);
        }
        Ok(session.actor.clone())
    }
}
