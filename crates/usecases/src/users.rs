use async_trait::async_trait;
use fixdesk_domain::{
    Actor, ClientInfo, NewUser, Page, Preferences, PreferencesChange, Role, User, UserChanges,
    UserId,
};

use crate::ServiceError;

/// The public face of a user, which any signed-in user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserBasic {
    pub id: UserId,
    pub username: String,
    pub full_name: Option<String>,
    pub role: Role,
}

/// Managing users: admins create, list, change and delete them; everyone reads themself and
/// the id→name directory, and changes their own password.
#[async_trait]
pub trait UserUseCases: Send + Sync {
    async fn create(
        &self,
        actor: &Actor,
        new: NewUser,
        client: &ClientInfo,
    ) -> Result<User, ServiceError>;
    async fn list(&self, actor: &Actor, page: Page) -> Result<Vec<User>, ServiceError>;
    /// Users whose username, full name or e-mail contains `term` (any case), by id (admins).
    async fn search(&self, actor: &Actor, term: &str) -> Result<Vec<User>, ServiceError>;
    /// Every live user's id, name and role: clients need it to show who filed or works a
    /// ticket. E-mail addresses and the active flag stay admin-only.
    async fn directory(&self, actor: &Actor) -> Result<Vec<UserBasic>, ServiceError>;
    async fn me(&self, actor: &Actor) -> Result<User, ServiceError>;
    async fn get(&self, actor: &Actor, id: UserId) -> Result<User, ServiceError>;
    /// Applies a partial update; a new password, a role change or deactivation ends the
    /// user's sessions.
    async fn update(
        &self,
        actor: &Actor,
        id: UserId,
        changes: UserChanges,
        client: &ClientInfo,
    ) -> Result<User, ServiceError>;
    /// Deletes a user: the account and its sessions end, but the row stays as a tombstone so
    /// the user's tickets, messages and audit rows still name them.
    async fn delete(
        &self,
        actor: &Actor,
        id: UserId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// Changes the actor's own password. Every other session of the user ends; the one making
    /// the change stays signed in.
    async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// The actor's own interface settings.
    async fn preferences(&self, actor: &Actor) -> Result<Preferences, ServiceError>;
    /// Changes some of the actor's own settings and returns the whole set. A new zone or
    /// language is audited; the ticket list's remembered filters are view state and are not.
    async fn set_preferences(
        &self,
        actor: &Actor,
        change: PreferencesChange,
        client: &ClientInfo,
    ) -> Result<Preferences, ServiceError>;
}
