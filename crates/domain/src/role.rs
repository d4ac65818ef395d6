//! The three roles. The old service stored free strings and treated any unknown one as staff;
//! fixdesk accepts exactly these and nothing else.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

use crate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Agent,
    User,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Agent, Role::User];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::User => "user",
        }
    }

    /// Agents and admins work tickets; users only file them.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Agent)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                FieldError::new("role", "enum", "Input should be 'admin', 'agent' or 'user'")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly_the_three_roles() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("superuser".parse::<Role>().is_err());
        assert!("Admin".parse::<Role>().is_err());
        assert!("".parse::<Role>().is_err());
    }

    #[test]
    fn only_admin_and_agent_are_staff() {
        assert!(Role::Admin.is_staff());
        assert!(Role::Agent.is_staff());
        assert!(!Role::User.is_staff());
    }
}
