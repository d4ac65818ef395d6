//! Accepting and serving TCP connections with bounds a hostile or broken client cannot get
//! around: a connection must send a complete request head within `header_timeout` (also how
//! long an idle kept-alive connection is kept), one client address may hold at most
//! `per_client` connections, and the whole server at most `total` (below the process's
//! open-file limit, so accepting never fails for lack of descriptors). A connection over a
//! bound is answered 503 with `Retry-After` and closed, so the clients already being served
//! never notice. poem's own server cannot bound header reading, hence this loop around it.

use std::{
    collections::HashMap,
    convert::Infallible,
    future::Future,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use fixdesk_edge::TrustedProxies;
use hyper::{server::conn::http1, service::service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use poem::{
    Endpoint,
    http::uri::Scheme,
    web::{LocalAddr, RemoteAddr},
};
use tokio::{io::AsyncWriteExt, net::TcpStream};

/// What one server accepts.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    pub header_timeout: Duration,
    /// Connections one client address may hold (trusted proxies are exempt: they carry
    /// many clients).
    pub per_client: usize,
    pub total: usize,
    pub trusted_proxies: TrustedProxies,
}

/// Open connections per client address, and in all.
#[derive(Debug, Default)]
struct Counts {
    by_address: HashMap<IpAddr, usize>,
    total: usize,
}

/// A place held by one connection; given back when the connection ends.
#[derive(Debug)]
struct Place {
    counts: Arc<Mutex<Counts>>,
    address: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.total -= 1;
        if let Some(n) = c.by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                c.by_address.remove(&self.address);
            }
        }
    }
}

fn admit(counts: &Arc<Mutex<Counts>>, limits: &ConnectionLimits, address: IpAddr) -> Option<Place> {
    let mut c = counts.lock().unwrap_or_else(|p| p.into_inner());
    let mine = c.by_address.get(&address).copied().unwrap_or(0);
    let exempt = limits.trusted_proxies.contains(&address);
    if c.total >= limits.total || (!exempt && mine >= limits.per_client) {
        return None;
    }
    c.total += 1;
    *c.by_address.entry(address).or_insert(0) += 1;
    Some(Place {
        counts: counts.clone(),
        address,
    })
}

/// Serves `endpoint` on `listener` until `shutdown` completes, then lets the requests in
/// flight finish for up to `grace`.
pub(crate) async fn serve<E>(
    listener: tokio::net::TcpListener,
    endpoint: E,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<()>
where
    E: Endpoint + 'static,
{
    let endpoint = Arc::new(endpoint);
    let local = listener.local_addr()?;
    let counts = Arc::new(Mutex::new(Counts::default()));
    // Every connection holds a receiver; the server has stopped when all are gone.
    let (stopping, stop) = tokio::sync::watch::channel(false);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was taken: wait a
                    // moment instead of spinning, and go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(place) = admit(&counts, &limits, peer.ip()) else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = {
            let endpoint = endpoint.clone();
            service_fn(move |req| {
                let endpoint = endpoint.clone();
                async move {
                    let req = (
                        req,
                        LocalAddr(local.into()),
                        RemoteAddr(peer.into()),
                        Scheme::HTTP,
                    )
                        .into();
                    let resp: hyper::Response<_> = endpoint.get_response(req).await.into();
                    Ok::<_, Infallible>(resp)
                }
            })
        };
        let conn = http
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            tokio::pin!(conn);
            // A client that vanishes or times out is not the server's error.
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = async { stop.wait_for(|s| *s).await.map(|_| ()) } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(place);
            drop(stop);
        });
    }
    drop(listener);
    drop(stop);
    let _ = stopping.send(true);
    if tokio::time::timeout(grace, stopping.closed())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the grace period were cut off");
    }
    Ok(())
}

/// The answer to a connection over a bound: 503 with `Retry-After`, then close.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = r#"{"detail":"Слишком много соединений, повторите попытку позже"}"#;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(answer.as_bytes())).await;
    let _ = stream.shutdown().await;
}

/// The most connections this process can hold: its open-file limit, raised to the hard
/// limit first, less room for the database, logs and attachment files.
pub(crate) fn connection_capacity() -> usize {
    use rustix::process::{Resource, getrlimit, setrlimit};
    const RESERVED: u64 = 256;
    const CEILING: u64 = 1 << 20;
    let mut limit = getrlimit(Resource::Nofile);
    let raised = match (limit.current, limit.maximum) {
        (Some(current), Some(max)) if current < max => Some(max.min(CEILING)),
        (Some(current), None) if current < CEILING => Some(CEILING),
        _ => None,
    };
    if let Some(raised) = raised {
        limit.current = Some(raised);
        if setrlimit(Resource::Nofile, limit).is_err() {
            limit = getrlimit(Resource::Nofile);
        }
    }
    let open_files = limit.current.unwrap_or(CEILING).min(CEILING);
    open_files.saturating_sub(RESERVED).max(64) as usize
}
