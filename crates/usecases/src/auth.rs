use async_trait::async_trait;
use chrono::NaiveDateTime;
use fixdesk_domain::{Actor, ClientInfo};

use crate::ServiceError;

/// A freshly issued access token.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: String,
    pub expires_at: NaiveDateTime,
}

/// Signing in and out, and turning a presented token into an [`Actor`].
#[async_trait]
pub trait AuthUseCases: Send + Sync {
    /// Checks a username and password and opens a session. Unknown names and wrong passwords
    /// take the same time and give the same error; every attempt is audited.
    async fn login(
        &self,
        username: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<IssuedToken, ServiceError>;

    /// Ends the actor's session at once.
    async fn logout(&self, actor: &Actor, client: &ClientInfo) -> Result<(), ServiceError>;

    /// The actor behind a bearer token, with their current role; refused when the token is
    /// forged or expired, or its session was revoked.
    async fn authenticate(&self, token: &str) -> Result<Actor, ServiceError>;
}
