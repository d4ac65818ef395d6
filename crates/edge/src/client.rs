//! Who the client is: its address (behind a trusted proxy, the forwarded one) and user agent.
//! Worked out once per request by [`ClientAddress`] and read by every handler of every
//! transport (for rate limits and the audit log) through [`client_of`] or [`Client`].

use std::{net::IpAddr, sync::Arc};

use fixdesk_usecases::domain::ClientInfo;
use poem::{
    Endpoint, FromRequest, Middleware, Request, RequestBody, Result,
    http::{HeaderValue, header},
};

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

/// The client's address as [`ClientAddress`] worked it out, kept in the request. Only the
/// address is kept: the strings of a [`ClientInfo`] are built when a handler needs them (a
/// write's audit row), not for every read.
#[derive(Debug, Clone, Copy)]
struct Peer(Option<IpAddr>);

/// The client's address (the peer's when [`ClientAddress`] did not run).
pub fn client_ip_of(req: &Request) -> Option<IpAddr> {
    match req.extensions().get::<Peer>() {
        Some(p) => p.0,
        None => client_ip(req, &[]),
    }
}

/// Who sent a request, taken apart cheaply (no allocation), to be written down only if needed.
#[derive(Debug, Clone)]
pub struct ClientParts {
    ip: Option<IpAddr>,
    user_agent: Option<HeaderValue>,
}

impl ClientParts {
    pub fn of(req: &Request) -> Self {
        Self {
            ip: client_ip_of(req),
            user_agent: req.headers().get(header::USER_AGENT).cloned(),
        }
    }

    /// The client as the audit log records it (user agent cut at 512 characters).
    pub fn info(&self) -> ClientInfo {
        ClientInfo {
            ip: self.ip.map(|ip| ip.to_string()),
            user_agent: self
                .user_agent
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .map(|s| s.chars().take(512).collect()),
        }
    }
}

/// The client of a request, for the audit log.
pub fn client_of(req: &Request) -> ClientInfo {
    ClientParts::of(req).info()
}

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
        let peer = Peer(client_ip(&req, &self.trusted));
        req.extensions_mut().insert(peer);
        self.inner.call(req).await
    }
}
