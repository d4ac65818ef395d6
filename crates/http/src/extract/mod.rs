//! Extractors: what a handler receives from a request, beyond poem-openapi's own.

pub mod json_body;
pub mod live_auth;
pub mod login_form;
pub mod path_id;
pub mod security;

pub use fixdesk_edge::Client;
pub use json_body::JsonBody;
pub use live_auth::LiveAuth;
pub use login_form::LoginForm;
pub use path_id::path_id;
pub use security::{ActorSlot, AdminOnly, AuditAdmin, Authed, StaffOnly};

/// Reads the whole request body, refusing (413) anything over the configured limit.
pub(crate) async fn read_body(
    req: &poem::Request,
    body: &mut poem::RequestBody,
) -> poem::Result<Vec<u8>> {
    let limit = req
        .data::<crate::HttpConfig>()
        .map_or(crate::HttpConfig::default().max_body_bytes, |c| {
            c.max_body_bytes
        });
    Ok(body.take()?.into_bytes_limit(limit).await?.to_vec())
}
