//! The requesting client's address and user agent, for the audit log.

use fixdesk_usecases::domain::ClientInfo;
use poem::{FromRequest, Request, RequestBody, http::header};

#[derive(Debug, Clone)]
pub struct Client(pub ClientInfo);

impl<'a> FromRequest<'a> for Client {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let ip = req
            .remote_addr()
            .as_socket_addr()
            .map(|a| a.ip().to_string());
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(512).collect());
        Ok(Client(ClientInfo { ip, user_agent }))
    }
}
