//! The requesting client's address and user agent, for the audit log.

use fixdesk_usecases::domain::ClientInfo;
use poem::{FromRequest, Request, RequestBody, http::header};

use crate::{HttpConfig, middleware::rate_limit::client_ip};

#[derive(Debug, Clone)]
pub struct Client(pub ClientInfo);

/// The client of a request: its address (behind a trusted proxy, the forwarded one) and user
/// agent.
pub fn client_info(req: &Request) -> ClientInfo {
    let trusted = req
        .data::<HttpConfig>()
        .map(|c| c.trusted_proxies.as_slice())
        .unwrap_or_default();
    let ip = client_ip(req, trusted).map(|ip| ip.to_string());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(512).collect());
    ClientInfo { ip, user_agent }
}

impl<'a> FromRequest<'a> for Client {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(Client(
            req.data::<ClientInfo>()
                .cloned()
                .unwrap_or_else(|| client_info(req)),
        ))
    }
}
