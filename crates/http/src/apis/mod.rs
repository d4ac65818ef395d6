//! The `/api/v1` operations, one struct per tag.

mod auth;
mod users;

pub use auth::AuthApi;
pub use users::UsersApi;

#[derive(Debug, poem_openapi::Tags)]
pub enum Tag {
    /// Signing in and out.
    Auth,
    /// Accounts and roles.
    Users,
}
