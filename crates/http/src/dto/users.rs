//! Users on the wire.

use fixdesk_usecases::{
    UserBasic,
    domain::{
        Email, FieldError, FullName, NewUser, Password, Patch, Role, User, UserChanges, Username,
    },
};
use poem_openapi::Object;
use serde::Deserialize;

use super::common::{patch, present, required};
use crate::{error::ApiError, validation::Checker};

#[derive(Debug, Object)]
pub struct UserOut {
    pub id: i64,
    pub username: String,
    #[oai(nullable)]
    pub email: Option<String>,
    #[oai(nullable)]
    pub full_name: Option<String>,
    pub role: String,
    pub is_active: bool,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        Self {
            id: u.id.0,
            username: u.username,
            email: u.email,
            full_name: u.full_name,
            role: u.role.as_str().to_string(),
            is_active: u.is_active,
        }
    }
}

#[derive(Debug, Object)]
pub struct UserBasicOut {
    pub id: i64,
    #[oai(nullable)]
    pub full_name: Option<String>,
    pub username: String,
    pub role: String,
}

impl From<UserBasic> for UserBasicOut {
    fn from(u: UserBasic) -> Self {
        Self {
            id: u.id.0,
            full_name: u.full_name,
            username: u.username,
            role: u.role.as_str().to_string(),
        }
    }
}

/// An empty string means "no e-mail": the old frontend sends `""` for a blank field.
fn email(raw: Option<String>) -> Result<Option<Email>, FieldError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(e) => Email::parse(e).map(Some),
    }
}

fn role(raw: &str) -> Result<Role, FieldError> {
    raw.parse()
}

#[derive(Debug, Object, Deserialize)]
pub struct CreateUserIn {
    #[oai(validator(
        min_length = 3,
        max_length = 50,
        pattern = "^[^\\s\\u0000-\\u001f\\u007f-\\u009f]+$"
    ))]
    pub username: String,
    #[oai(validator(
        min_length = 8,
        max_length = 128,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub password: String,
    #[serde(default)]
    #[oai(
        nullable,
        validator(max_length = 255, pattern = "^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$")
    )]
    pub email: Option<String>,
    #[serde(default)]
    #[oai(
        nullable,
        validator(max_length = 100, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub full_name: Option<String>,
    #[serde(default)]
    #[oai(nullable, validator(pattern = "^(user|agent|admin)$"))]
    pub role: Option<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub is_active: Option<bool>,
}

impl CreateUserIn {
    pub fn into_domain(self) -> Result<NewUser, ApiError> {
        let mut c = Checker::default();
        let username = c.check(&self.username, Username::parse(&self.username));
        let password = c.check(&"***", Password::parse(&self.password));
        let mail = c.check(&self.email, email(self.email.clone()));
        let full_name = c.check(
            &self.full_name,
            self.full_name.as_deref().map(FullName::parse).transpose(),
        );
        let role_name = self.role.unwrap_or_else(|| "user".into());
        let role = c.check(&role_name, role(&role_name));
        c.finish(|| {
            Some(NewUser {
                username: username?,
                password: password?,
                email: mail?,
                full_name: full_name?,
                role: role?,
                is_active: self.is_active.unwrap_or(true),
            })
        })
    }
}

/// A partial update: keys present are applied; `null` clears the nullable ones and is refused
/// for the rest.
#[derive(Debug, Object, Deserialize)]
pub struct UpdateUserIn {
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(
            min_length = 3,
            max_length = 50,
            pattern = "^[^\\s\\u0000-\\u001f\\u007f-\\u009f]+$"
        )
    )]
    pub username: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(max_length = 255, pattern = "^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$")
    )]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(max_length = 100, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub full_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(
            min_length = 8,
            max_length = 128,
            pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub password: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable, validator(pattern = "^(user|agent|admin)$"))]
    pub role: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub is_active: Option<Option<bool>>,
}

impl UpdateUserIn {
    pub fn into_domain(self) -> Result<UserChanges, ApiError> {
        let mut c = Checker::default();
        let username = c.check(
            &self.username,
            required("username", self.username.clone())
                .and_then(|u| u.as_deref().map(Username::parse).transpose()),
        );
        let mail = c.check(&self.email, {
            // A blank e-mail clears it, like `null`.
            let blank = matches!(&self.email, Some(Some(s)) if s.trim().is_empty());
            let p = if blank {
                Patch::Null
            } else {
                patch(self.email.clone())
            };
            p.try_map(|e| Email::parse(&e))
        });
        let full_name = c.check(
            &self.full_name,
            patch(self.full_name.clone()).try_map(|f| FullName::parse(&f)),
        );
        let password = c.check(
            &"***",
            required("password", self.password.clone())
                .and_then(|p| p.as_deref().map(Password::parse).transpose()),
        );
        let role = c.check(
            &self.role,
            required("role", self.role.clone()).and_then(|r| r.as_deref().map(role).transpose()),
        );
        let is_active = c.check(&self.is_active, required("is_active", self.is_active));
        c.finish(|| {
            Some(UserChanges {
                username: username?,
                email: mail?,
                full_name: full_name?,
                password: password?,
                role: role?,
                is_active: is_active?,
            })
        })
    }
}

#[derive(Debug, Object, Deserialize)]
pub struct ChangePasswordIn {
    pub current_password: String,
    #[oai(validator(
        min_length = 8,
        max_length = 128,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub new_password: String,
}
