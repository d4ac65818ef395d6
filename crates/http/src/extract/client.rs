//! The requesting client's address and user agent, for the audit log.

use fixdesk_usecases::domain::ClientInfo;
use poem::{FromRequest, Request, RequestBody, http::header};

#[derive(Debug, Clone)]
pub struct Client(pub ClientInfo);

/// The client of a request: its peer address and user agent.
pub fn client_info(req: &Request) -> ClientInfo {
    let ip = req
        .remote_addr()
        .as_socket_addr()
        .map(|a| a.ip().to_string());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(512).collect());
    ClientInfo { ip, user_agent }
}

impl<'a> FromRequest<'a> for Client {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(Client(client_info(req)))
    }
}
