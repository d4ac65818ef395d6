//! The authenticated caller of a use case.

use crate::{DomainError, Role, SessionId, UserId};

/// A signed-in user acting through one session. Built by the service from a verified token;
/// it always reflects the user's current role and active flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub username: String,
    pub full_name: Option<String>,
    pub role: Role,
    pub session: SessionId,
}

impl Actor {
    /// The name shown beside what this person writes (see [`crate::user::display_name`]).
    pub fn display_name(&self) -> String {
        crate::user::display_name(self.full_name.as_deref(), &self.username)
    }

    pub fn require_admin(&self) -> Result<(), DomainError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(DomainError::AdminRequired)
        }
    }

    pub fn require_staff(&self) -> Result<(), DomainError> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(DomainError::StaffRequired)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            id: UserId(1),
            username: "x".into(),
            full_name: None,
            role,
            session: SessionId("s".into()),
        }
    }

    #[test]
    fn role_gates() {
        assert!(actor(Role::Admin).require_admin().is_ok());
        assert_eq!(
            actor(Role::Agent).require_admin(),
            Err(DomainError::AdminRequired)
        );
        assert!(actor(Role::Agent).require_staff().is_ok());
        assert_eq!(
            actor(Role::User).require_staff(),
            Err(DomainError::StaffRequired)
        );
    }
}
