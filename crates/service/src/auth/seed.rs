//! The first admin. An empty database gets the account `admin`, with the operator's password
//! or a random one that is shown exactly once.

use fixdesk_domain::{Password, Role};
use fixdesk_repository::{RepoError, users};

use fixdesk_usecases::ServiceError;

use crate::{PasswordHasher, clock, random};
use fixdesk_db::Database;

/// The admin account created at first start.
#[derive(Debug, Clone)]
pub struct SeededAdmin {
    pub username: String,
    /// Set when fixdesk chose the password; the caller must show it to the operator.
    pub generated_password: Option<String>,
}

/// Creates `admin` if no admin exists. Safe to race: a second instance loses on the unique
/// username and seeds nothing.
pub(crate) async fn ensure_admin(
    db: &Database,
    hasher: &PasswordHasher,
    password: Option<&str>,
) -> Result<Option<SeededAdmin>, ServiceError> {
    if users::any_admin(db.reader()).await? {
        return Ok(None);
    }
    let (plain, generated) = match password {
        Some(p) => (p.to_string(), false),
        None => (random::password(20), true),
    };
    let password = Password::parse(&plain).map_err(|e| ServiceError::Domain(e.into()))?;
    let hash = hasher.hash(&password).await?;
    let uow = db.begin_write().await?;
    if users::any_admin(uow.conn()).await? {
        return Ok(None);
    }
    let row = users::NewUserRow {
        username: "admin".into(),
        email: None,
        hashed_password: hash,
        full_name: Some("System Administrator".into()),
        role: Role::Admin,
        is_active: true,
    };
    match users::insert(uow.conn(), row, clock::wall()).await {
        Ok(_) => {}
        Err(RepoError::Conflict { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    uow.commit().await?;
    Ok(Some(SeededAdmin {
        username: "admin".into(),
        generated_password: generated.then_some(plain),
    }))
}
