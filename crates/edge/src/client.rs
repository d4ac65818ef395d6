//! Who the client is: its address (behind a trusted proxy, the forwarded one) and user agent.
//! Worked out once per request by [`ClientAddress`] and read by every handler of every
//! transport (for rate limits and the audit log) through [`client_of`] or [`Client`].

use std::{net::IpAddr, sync::Arc};

use fixdesk_usecases::domain::ClientInfo;
use poem::{Endpoint, FromRequest, Middleware, Request, RequestBody, Result, http::header};

/// The client's address: the peer, or — when the peer is a trusted proxy — the first address
/// of `X-Forwarded-For`.
pub fn client_ip(req: &Request, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    req.headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.trim().parse().ok())
        .or(Some(peer))
}

fn identify(req: &Request, trusted: &[IpAddr]) -> ClientInfo {
    let ip = client_ip(req, trusted).map(|ip| ip.to_string());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(512).collect());
    ClientInfo { ip, user_agent }
}

/// The client of a request as the edge identified it (the peer address if the request did
/// not pass the edge).
pub fn client_of(req: &Request) -> ClientInfo {
    req.data::<ClientInfo>()
        .cloned()
        .unwrap_or_else(|| identify(req, &[]))
}

/// A handler's view of [`client_of`].
#[derive(Debug, Clone)]
pub struct Client(pub ClientInfo);

impl<'a> FromRequest<'a> for Client {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> Result<Self> {
        Ok(Client(client_of(req)))
    }
}

/// Identifies the client of every request once, trusting `X-Forwarded-For` from these proxies.
#[derive(Debug, Clone)]
pub struct ClientAddress {
    trusted: Arc<[IpAddr]>,
}

impl ClientAddress {
    pub fn new(trusted: &[IpAddr]) -> Self {
        Self {
            trusted: trusted.into(),
        }
    }
}

impl<E: Endpoint> Middleware<E> for ClientAddress {
    type Output = ClientAddressEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        ClientAddressEndpoint {
            inner: ep,
            trusted: self.trusted.clone(),
        }
    }
}

#[derive(Debug)]
pub struct ClientAddressEndpoint<E> {
    inner: E,
    trusted: Arc<[IpAddr]>,
}

impl<E: Endpoint> Endpoint for ClientAddressEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let client = identify(&req, &self.trusted);
        req.extensions_mut().insert(client);
        self.inner.call(req).await
    }
}
