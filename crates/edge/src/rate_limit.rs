//! Rate limits: a fixed one-minute window per client address and, for authenticated calls, per
//! bearer token (so one user cannot hide behind many addresses, nor a busy school behind one
//! NAT starve another). Every counted answer carries `X-RateLimit-Limit`, `-Remaining` and
//! `-Reset`; past the limit the answer is 429 with `Retry-After`. CORS preflights and the
//! probes are not counted. State is per process and bounded in size.

use std::{
    collections::HashMap,
    hash::{BuildHasher, Hash, RandomState},
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{HeaderValue, Method, StatusCode, header},
};

const WINDOW_SECS: u64 = 60;
/// Shards of the window table, so concurrent requests rarely wait for one another's lock.
const SHARDS: usize = 16;
/// Windows kept per shard: 16 × 4,096 clients and tokens in one minute (about 2 MiB at most).
const PER_SHARD: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Window {
    started: u64,
    count: u64,
}

/// Who is counted: an address, or a bearer token (by its hash alone, never kept).
#[derive(Hash)]
enum Key<'a> {
    Address(Option<IpAddr>),
    Token(&'a str),
}

/// The current window of every client, keyed by a seeded hash: one lock of one shard and no
/// allocation per request.
#[derive(Debug)]
struct Windows {
    seed: RandomState,
    shards: Box<[Mutex<HashMap<u64, Window>>]>,
}

impl Windows {
    fn new() -> Self {
        Self {
            seed: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// Counts one request of `key`; returns its count in the window and when the window ends.
    fn hit(&self, key: Key<'_>, now: u64) -> (u64, u64) {
        let hash = self.seed.hash_one(key);
        let shard = &self.shards[(hash % SHARDS as u64) as usize];
        let mut windows = shard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= PER_SHARD && !windows.contains_key(&hash) {
            windows.retain(|_, w| now < w.started + WINDOW_SECS);
            // Still full of live windows (a flood of new addresses): forget one at random
            // rather than grow or refuse a newcomer.
            if windows.len() >= PER_SHARD
                && let Some(k) = windows.keys().next().copied()
            {
                windows.remove(&k);
            }
        }
        let w = windows.entry(hash).or_insert(Window {
            started: now,
            count: 0,
        });
        if now >= w.started + WINDOW_SECS {
            *w = Window {
                started: now,
                count: 0,
            };
        }
        w.count += 1;
        (w.count, w.started + WINDOW_SECS)
    }
}

#[derive(Debug, Clone)]
pub struct RateLimit {
    per_minute: u64,
    windows: Arc<Windows>,
}

impl RateLimit {
    pub fn new(per_minute: u64) -> Self {
        Self {
            per_minute: per_minute.max(1),
            windows: Arc::new(Windows::new()),
        }
    }
}

fn exempt(req: &Request) -> bool {
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    preflight || crate::probes::is_probe(req.uri().path())
}

impl<E: Endpoint> Middleware<E> for RateLimit {
    type Output = RateLimitEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        RateLimitEndpoint {
            inner: ep,
            limit: self.clone(),
        }
    }
}

#[derive(Debug)]
pub struct RateLimitEndpoint<E> {
    inner: E,
    limit: RateLimit,
}

fn stamp(resp: &mut Response, limit: u64, used: u64, reset: u64) {
    let h = resp.headers_mut();
    h.insert("x-ratelimit-limit", HeaderValue::from(limit));
    h.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(limit.saturating_sub(used)),
    );
    h.insert("x-ratelimit-reset", HeaderValue::from(reset));
}

impl<E: Endpoint> Endpoint for RateLimitEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        if exempt(&req) {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let ip = crate::client::client_ip_of(&req);
        let mut worst = self.limit.windows.hit(Key::Address(ip), now);
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if let Some(token) = token {
            let by_token = self.limit.windows.hit(Key::Token(token), now);
            if by_token.0 > worst.0 {
                worst = by_token;
            }
        }
        let (used, reset) = worst;
        let limit = self.limit.per_minute;
        if used > limit {
            let mut r = crate::status::detail_retry_after(
                StatusCode::TOO_MANY_REQUESTS,
                "Слишком много запросов, повторите попытку позже",
                reset.saturating_sub(now).max(1),
            );
            stamp(&mut r, limit, used, reset);
            return Ok(r);
        }
        let mut resp = self
            .inner
            .call(req)
            .await
            .map(IntoResponse::into_response)?;
        stamp(&mut resp, limit, used, reset);
        Ok(resp)
    }
}
