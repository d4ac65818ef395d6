//! Who the client is: its address (behind a trusted proxy, the forwarded one) and user agent.
//! Worked out once per request by [`ClientAddress`] and read by every handler of every
//! transport (for rate limits and the audit log) through [`client_of`] or [`Client`].

use std::{net::IpAddr, sync::Arc};

use ipnet::IpNet;

use fixdesk_usecases::domain::ClientInfo;
use poem::{
    Endpoint, FromRequest, Middleware, Request, RequestBody, Result,
    http::{HeaderValue, header},
};

/// The proxies whose `X-Forwarded-For` is believed: single addresses or whole networks
/// (`10.0.0.0/8`, `fd00::/8`), as a site's reverse proxies and load balancers are named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma-separated list of addresses and networks; blank entries are skipped.
    /// The error names the first entry that is neither.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<IpNet>()
                    .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| p.to_owned())
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    pub fn contains(&self, ip: &IpAddr) -> bool {
        // An IPv4 peer on a dual-stack socket arrives as `::ffff:a.b.c.d`.
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The client's address. Each proxy appends the address it was called from to
/// `X-Forwarded-For`, so only the entries added by trusted proxies can be believed, and they
/// are the rightmost: the list is read from the right, trusted hops are dropped, and the first
/// address that is not a trusted proxy is the client. Whatever stands left of it was written by
/// the client itself and is ignored. An entry that is not an address ends the walk at the hop
/// that passed it on.
pub fn client_ip(req: &Request, trusted: &TrustedProxies) -> Option<IpAddr> {
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip())?;
    // Several header lines form one list, in order.
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    Some(resolve(peer, forwarded, trusted))
}

/// [`client_ip`] on its parts: the TCP peer and the `X-Forwarded-For` lines.
fn resolve<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    trusted: &TrustedProxies,
) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = forwarded
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            break;
        };
        client = ip;
        if !trusted.contains(&ip) {
            break;
        }
    }
    client
}

/// One entry of `X-Forwarded-For`: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
}

/// The client's address as [`ClientAddress`] worked it out, kept in the request. Only the
/// address is kept: the strings of a [`ClientInfo`] are built when a handler needs them (a
/// write's audit row), not for every read.
#[derive(Debug, Clone, Copy)]
struct Peer(Option<IpAddr>);

/// The client's address as [`ClientAddress`] worked it out (the peer's when it did not run).
pub fn client_ip_of(req: &Request) -> Option<IpAddr> {
    match req.extensions().get::<Peer>() {
        Some(p) => p.0,
        None => client_ip(req, &TrustedProxies::default()),
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
    trusted: Arc<TrustedProxies>,
}

impl ClientAddress {
    pub fn new(trusted: &TrustedProxies) -> Self {
        Self {
            trusted: Arc::new(trusted.clone()),
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
    trusted: Arc<TrustedProxies>,
}

impl<E: Endpoint> Endpoint for ClientAddressEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let peer = Peer(client_ip(&req, &self.trusted));
        req.extensions_mut().insert(peer);
        self.inner.call(req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| IpAddr::from([0, 0, 0, 0]))
    }

    fn proxies(list: &str) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap_or_default()
    }

    #[test]
    fn the_client_is_the_first_untrusted_address_from_the_right() {
        let trusted = proxies("127.0.0.1, 10.0.0.0/8");
        let lo = ip("127.0.0.1");
        // What the client wrote itself (left of what the proxy appended) is ignored.
        assert_eq!(
            resolve(lo, ["10.9.1.1, 203.0.113.7"].into_iter(), &trusted),
            ip("203.0.113.7")
        );
        // A chain of trusted proxies is walked through.
        assert_eq!(
            resolve(
                lo,
                ["198.51.100.2, 10.1.1.1", "10.2.2.2"].into_iter(),
                &trusted
            ),
            ip("198.51.100.2")
        );
        // Nothing forwarded: the proxy itself.
        assert_eq!(resolve(lo, std::iter::empty(), &trusted), lo);
        // Every hop trusted: the leftmost one.
        assert_eq!(
            resolve(lo, ["10.3.3.3"].into_iter(), &trusted),
            ip("10.3.3.3")
        );
        // Garbage ends the walk at the hop that passed it on.
        assert_eq!(
            resolve(lo, ["203.0.113.9, bogus, 10.1.1.1"].into_iter(), &trusted),
            ip("10.1.1.1")
        );
        // Ports are allowed.
        assert_eq!(
            resolve(lo, ["[2001:db8::1]:443"].into_iter(), &trusted),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = proxies("127.0.0.1");
        assert_eq!(
            resolve(ip("192.0.2.1"), ["127.0.0.1"].into_iter(), &trusted),
            ip("192.0.2.1")
        );
        assert_eq!(
            resolve(ip("::ffff:127.0.0.1"), ["192.0.2.5"].into_iter(), &trusted),
            ip("192.0.2.5"),
            "an IPv4 peer seen through a dual-stack socket is still the proxy"
        );
    }

    #[test]
    fn proxies_are_addresses_or_networks() {
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/33"),
            Err("10.0.0.0/33".into())
        );
        assert_eq!(
            TrustedProxies::parse("proxy.local"),
            Err("proxy.local".into())
        );
        let p = proxies(" , 192.168.1.0/24 ,::1");
        assert!(p.contains(&ip("192.168.1.77")));
        assert!(!p.contains(&ip("192.168.2.1")));
        assert!(p.contains(&ip("::1")));
        assert!(TrustedProxies::parse("").is_ok_and(|p| p.is_empty()));
    }
}
