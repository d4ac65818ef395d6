//! Signing in and out, and turning a presented token into an [`Actor`].

mod accounts;
pub(crate) mod hashing;
pub(crate) mod login_attempts;
pub(crate) mod seed;
pub(crate) mod session_cache;
pub(crate) mod tokens;

pub use accounts::Users;
pub use hashing::{HashingLimits, PasswordHasher};
pub use seed::SeededAdmin;

use std::sync::Arc;

use fixdesk_usecases::{AuthUseCases, IssuedToken, ServiceError, async_trait};

use crate::{
    auth::login_attempts::{Pending, Refusal},
    clock,
    context::Context,
    random, trail,
};
use fixdesk_domain::{Actor, ClientInfo, SessionId, login_guard};
use fixdesk_repository::{audit, login_failures, sessions, users};

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

    /// The failures stored for `account`: from `ip` in the address window, and from anywhere
    /// in the account window.
    async fn stored_failures(&self, account: &str, ip: &str) -> Result<Pending, ServiceError> {
        let conn = self.ctx.db.reader();
        let now = clock::wall();
        Ok(Pending {
            from_address: login_failures::count(
                conn,
                account,
                Some(ip),
                now - login_guard::ADDRESS_WINDOW,
            )
            .await?,
            on_account: login_failures::count(
                conn,
                account,
                None,
                now - login_guard::ACCOUNT_WINDOW,
            )
            .await?,
        })
    }

    /// The audit row of a lockout's first refused attempt (nothing counts it as a failure).
    async fn note_refusal(
        &self,
        attempted: &str,
        user: Option<&fixdesk_domain::User>,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        let reason = "too many failures (locked out; further refusals this window unrecorded)";
        let entry = trail::login_failed(attempted, user, reason, client);
        trail::commit(uow, entry, now).await
    }

    /// Stores a failed attempt: its row for the bound and its audit row, in one unit of work.
    async fn record_failure(
        &self,
        account: &str,
        attempted: &str,
        user: Option<&fixdesk_domain::User>,
        reason: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        login_failures::record(
            uow.conn(),
            account,
            client.ip.as_deref(),
            now,
            now - login_guard::ACCOUNT_WINDOW,
        )
        .await?;
        let entry = trail::login_failed(attempted, user, reason, client);
        trail::commit(uow, entry, now).await
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
        let user = creds.as_ref().map(|c| &c.user);
        // Every name tried is guarded alike, whether anybody has it or not, and before any
        // hashing: a lockout reveals nothing, and concurrency cannot get past it.
        let account = login_guard::account_key(username);
        let ip = client.ip.as_deref().unwrap_or_default();
        let started = self.ctx.login_attempts.start(&account, ip);
        let stored = self.stored_failures(&account, ip).await?;
        let known_address = match user {
            Some(u) if stored.on_account > 0 => {
                audit::signed_in_from(self.ctx.db.reader(), u.id, ip).await?
            }
            _ => false,
        };
        let admitted = match started.admit(stored, |p| {
            login_guard::check(p.from_address, p.on_account, known_address)
        }) {
            Ok(a) => a,
            Err(Refusal::Locked(retry_after_secs)) => {
                // A refusal is not a failure (it would extend the lockout); the audit log
                // hears of the first one of a lockout, not of every one of a flood.
                if self.ctx.login_attempts.first_refusal(&account, ip).await {
                    self.note_refusal(username, user, client).await?;
                }
                return Err(ServiceError::TooManyAttempts { retry_after_secs });
            }
            Err(Refusal::Busy) => {
                return Err(ServiceError::Overloaded {
                    retry_after_secs: 1,
                });
            }
        };
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
            self.record_failure(&account, username, user.as_ref(), reason, client)
                .await?;
            admitted.failed();
            return Err(error);
        }
        drop(admitted);
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

        let now = clock::wall();
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
        trail::commit(uow, trail::login(&user, client), now).await?;

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
        let now = clock::wall();
        let uow = self.ctx.db.begin_write().await?;
        sessions::revoke(uow.conn(), actor.id, &actor.session, now).await?;
        trail::commit(uow, trail::logout(actor.id, &actor.username, client), now).await?;
        self.ctx.sessions.forget_session(&actor.session).await;
        Ok(())
    }

    async fn authenticate(&self, token: &str) -> Result<Actor, ServiceError> {
        let session_id = self.ctx.tokens.verify(token)?;
        let now = clock::wall();
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
