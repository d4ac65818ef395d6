//! Users: the values that make one up, each of which parses itself, and the shapes of the
//! commands that create and change one.

use std::fmt;

use crate::{FieldError, Patch, Role, UserId, text::bounded};

/// A login name: 3–50 characters, no whitespace or control characters. Case-sensitive, as
/// the old service compared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = bounded("username", raw, 3, 50)?;
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(FieldError::new(
                "username",
                "value_error",
                "Имя пользователя не может содержать пробелы",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A plain-text password on its way to the hasher: 8–128 characters. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let len = raw.chars().count();
        if raw.trim().is_empty() && len > 0 {
            return Err(FieldError::new(
                "password",
                "value_error",
                "Пароль не может состоять из одних пробелов",
            ));
        }
        if !(Self::MIN..=Self::MAX).contains(&len) {
            return Err(FieldError::new(
                "password",
                "value_error",
                format!(
                    "Пароль должен содержать от {} до {} символов",
                    Self::MIN,
                    Self::MAX
                ),
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// An e-mail address, stored in lower case so two spellings of one address are one address.
/// The check is deliberately shallow (one `@`, a dot in the domain, no spaces): the real test
/// of an address is mail reaching it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = bounded("email", raw, 3, 255)?.to_lowercase();
        let invalid =
            || FieldError::new("email", "value_error", "value is not a valid email address");
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let well_formed = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !value.chars().any(char::is_whitespace);
        if !well_formed {
            return Err(invalid());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A display name of at most 100 characters on one line, without bidirectional overrides (a
/// name is shown beside others' words and must not turn them around).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(Self(crate::text::line("full_name", raw, 0, 100)?))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A user as the rest of the system sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub role: Role,
    pub is_active: bool,
}

impl User {
    /// Whether tickets may be given to this account: active staff (an agent or an admin).
    pub fn takes_tickets(&self) -> bool {
        self.is_active && self.role.is_staff()
    }

    /// Whether the username, full name or e-mail holds `term`, in any case and any script
    /// (compared here: SQLite's `lower()` knows only ASCII, and a desk has hundreds of people,
    /// not millions).
    pub fn matches(&self, term: &str) -> bool {
        let term = term.trim().to_lowercase();
        let holds = |v: &str| v.to_lowercase().contains(&term);
        holds(&self.username)
            || self.full_name.as_deref().is_some_and(holds)
            || self.email.as_deref().is_some_and(holds)
    }
}

/// How a person is shown beside their tickets and messages: the full name, else (when it is
/// missing or blank) the username.
pub fn display_name(full_name: Option<&str>, username: &str) -> String {
    full_name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(username)
        .to_string()
}

/// What an admin supplies to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub password: Password,
    pub email: Option<Email>,
    pub full_name: Option<FullName>,
    pub role: Role,
    pub is_active: bool,
}

/// A partial update of a user: only the fields that are not `Absent` change. Username, role,
/// password and the active flag cannot be cleared, so they are plain options.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub username: Option<Username>,
    pub email: Patch<Email>,
    pub full_name: Patch<FullName>,
    pub password: Option<Password>,
    pub role: Option<Role>,
    pub is_active: Option<bool>,
}

impl UserChanges {
    /// Whether the change takes admin rights away from `user` (demotion or deactivation).
    pub fn removes_admin(&self, user: &User) -> bool {
        let was_active_admin = user.role == Role::Admin && user.is_active;
        let stays_admin = self.role.unwrap_or(user.role) == Role::Admin;
        let stays_active = self.is_active.unwrap_or(user.is_active);
        was_active_admin && !(stays_admin && stays_active)
    }

    /// Whether existing sessions must end: a new password, deactivation, or a role change
    /// (tokens must not outlive the rights they were issued under).
    pub fn ends_sessions(&self, user: &User) -> bool {
        self.password.is_some()
            || self.is_active == Some(false) && user.is_active
            || self.role.is_some_and(|r| r != user.role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> User {
        User {
            id: UserId(1),
            username: "admin".into(),
            email: None,
            full_name: None,
            role: Role::Admin,
            is_active: true,
        }
    }

    #[test]
    fn username_rules() {
        assert!(Username::parse("admin").is_ok());
        assert_eq!(
            Username::parse("  bob  ").map(Username::into_inner),
            Ok("bob".into())
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("has space").is_err());
        assert!(Username::parse(&"x".repeat(51)).is_err());
    }

    #[test]
    fn password_length_is_8_to_128_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"я".repeat(128)).is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("secret-pass").ok()),
            "Some(Password(***))"
        );
    }

    #[test]
    fn email_is_lowercased_and_shallowly_checked() {
        assert_eq!(
            Email::parse("Teacher@School.RU").map(Email::into_inner),
            Ok("teacher@school.ru".into())
        );
        for bad in ["plain", "a@b", "@x.ru", "a b@x.ru", "a@.ru", "a@x.ru."] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn demotion_and_deactivation_remove_admin_rights() {
        let a = admin();
        let demote = UserChanges {
            role: Some(Role::Agent),
            ..Default::default()
        };
        let deactivate = UserChanges {
            is_active: Some(false),
            ..Default::default()
        };
        let rename = UserChanges {
            full_name: Patch::Value(FullName::parse("A").unwrap_or_else(|_| unreachable!())),
            ..Default::default()
        };
        assert!(demote.removes_admin(&a));
        assert!(deactivate.removes_admin(&a));
        assert!(!rename.removes_admin(&a));
        let inactive_admin = User {
            is_active: false,
            ..admin()
        };
        assert!(!demote.removes_admin(&inactive_admin));
    }

    #[test]
    fn sessions_end_on_password_role_or_deactivation() {
        let a = admin();
        assert!(
            UserChanges {
                password: Password::parse("newpassword").ok(),
                ..Default::default()
            }
            .ends_sessions(&a)
        );
        assert!(
            UserChanges {
                is_active: Some(false),
                ..Default::default()
            }
            .ends_sessions(&a)
        );
        assert!(
            UserChanges {
                role: Some(Role::User),
                ..Default::default()
            }
            .ends_sessions(&a)
        );
        assert!(
            !UserChanges {
                role: Some(Role::Admin),
                is_active: Some(true),
                ..Default::default()
            }
            .ends_sessions(&a)
        );
    }
}
