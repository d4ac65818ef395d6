//! Authentication for streams (Server-Sent Events, WebSocket): browsers cannot set headers on
//! those, so the token may come as `?token=` as well as in `Authorization: Bearer`.

use fixdesk_usecases::domain::Actor;
use poem::{FromRequest, Request, RequestBody, http::header};

use super::security::authenticate_token;

#[derive(Debug)]
pub struct LiveAuth(pub Actor);

fn token(req: &Request) -> Option<String> {
    let from_header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    from_header.or_else(|| {
        req.uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == "token")
                    .map(|(_, v)| v)
            })
    })
}

impl<'a> FromRequest<'a> for LiveAuth {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let token = token(req).ok_or(poem_openapi::error::AuthorizationError)?;
        Ok(LiveAuth(authenticate_token(req, &token).await?))
    }
}
