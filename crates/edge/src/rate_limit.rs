//! Rate limits: a fixed one-minute window per client address and, for authenticated calls, per
//! bearer token (so one user cannot hide behind many addresses, nor a busy school behind one
//! NAT starve another). Every counted answer carries `X-RateLimit-Limit`, `-Remaining` and
//! `-Reset`; past the limit the answer is 429 with `Retry-After`. CORS preflights and the
//! probes are not counted. State is per process and bounded in size; where the service offers
//! a budget shared by the deployment (`RateBudget`, on PostgreSQL), an instance spends slices
//! of it taken in one statement each, so the limit holds across instances while the hot path
//! stays in memory. The shared budget is kept per minute of the wall clock (the one a local
//! window began in), which every instance names alike.

use std::{
    collections::HashMap,
    hash::{BuildHasher, Hash, RandomState},
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use crate::Service;
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
    /// Requests of the shared budget this instance holds for the window.
    granted: u64,
    /// Requests of the shared budget being asked for (slices whose answer has not come):
    /// requests they would cover go ahead meanwhile rather than each ask again — a burst of
    /// sixty at once costs one ask, not sixty slices.
    asked: u64,
    /// Whether the shared budget had no more to give: further requests past `granted` are
    /// refused from memory, so a flood costs the database nothing.
    spent: bool,
}

/// One counted request.
#[derive(Debug, Clone, Copy)]
struct Hit {
    hash: u64,
    count: u64,
    started: u64,
    spent: bool,
    /// Within what this instance holds or is asking for.
    covered: bool,
    /// This request asks the shared budget for the next slice.
    asks: bool,
}

/// The shared budget's terms, when there is one: a slice and the limit.
#[derive(Debug, Clone, Copy)]
struct Shared {
    slice: u64,
    limit: u64,
}

/// Who is counted: an address, or a bearer token (by its hash alone, never kept).
#[derive(Hash, Clone, Copy)]
enum Key<'a> {
    Address(Option<IpAddr>),
    Token(&'a str),
}

impl Key<'_> {
    /// The key under which every instance counts this client in the shared budget: the same
    /// in every process (unlike the seeded in-memory hash), and no token in the clear.
    fn shared(self) -> i64 {
        use sha2::{Digest, Sha256};
        let digest = match self {
            Key::Address(Some(ip)) => Sha256::digest(format!("a:{ip}")),
            Key::Address(None) => Sha256::digest("a:"),
            Key::Token(t) => Sha256::digest(format!("t:{t}")),
        };
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(first)
    }
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

    fn shard(&self, hash: u64) -> std::sync::MutexGuard<'_, HashMap<u64, Window>> {
        self.shards[(hash % SHARDS as u64) as usize]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts one request of `key` in its current window (which begins with its first
    /// request and lasts a minute); with a shared budget, notes whether it is covered or asks
    /// for the next slice (which it then must [`Windows::grant`]).
    fn hit(&self, key: Key<'_>, now: u64, shared: Option<Shared>) -> Hit {
        let hash = self.seed.hash_one(key);
        let mut windows = self.shard(hash);
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
        let fresh = Window {
            started: now,
            count: 0,
            granted: 0,
            asked: 0,
            spent: false,
        };
        let w = windows.entry(hash).or_insert(fresh);
        if now >= w.started + WINDOW_SECS {
            *w = fresh;
        }
        w.count += 1;
        let covered = w.count <= w.granted + w.asked;
        let asks = match shared {
            Some(s) if !covered && !w.spent && w.count <= s.limit => {
                w.asked += s.slice;
                true
            }
            _ => false,
        };
        Hit {
            hash,
            count: w.count,
            started: w.started,
            spent: w.spent,
            covered,
            asks,
        }
    }

    /// Adds the `n` requests the shared budget gave for the slice `hit` asked for to the
    /// window it counted in, if it is still the current one; `spent`: the budget gave all it
    /// had.
    fn grant(&self, hit: Hit, asked: u64, n: u64, spent: bool) {
        if let Some(w) = self.shard(hit.hash).get_mut(&hit.hash)
            && w.started == hit.started
        {
            w.asked = w.asked.saturating_sub(asked);
            w.granted += n;
            w.spent |= spent;
        }
    }
}

#[derive(Clone)]
pub struct RateLimit {
    per_minute: u64,
    windows: Arc<Windows>,
    /// Where the shared budget comes from, if the service has one.
    service: Service,
}

impl std::fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimit")
            .field("per_minute", &self.per_minute)
            .finish_non_exhaustive()
    }
}

impl RateLimit {
    pub fn new(per_minute: u64, service: Service) -> Self {
        Self {
            per_minute: per_minute.max(1),
            windows: Arc::new(Windows::new()),
            service,
        }
    }

    /// How many of the shared budget an instance takes at a time: a twentieth of the limit,
    /// so a busy client costs one shared write per twenty requests and an instance holds
    /// back little of the budget from the others.
    fn slice(&self) -> u64 {
        (self.per_minute / 20).max(1)
    }

    /// Counts one request of `key`; returns its count and its window's start, the count
    /// past the limit where the deployment's shared budget is spent. Requests covered by a
    /// slice still being asked for go ahead: at most a slice more than the budget can pass in
    /// one instance's burst, and none in a sequence.
    async fn count(&self, key: Key<'_>, now: u64) -> (u64, u64) {
        let budget = self.service.rate_budget();
        let shared = budget.as_ref().map(|_| Shared {
            slice: self.slice(),
            limit: self.per_minute,
        });
        let hit = self.windows.hit(key, now, shared);
        let Some(budget) = budget else {
            return (hit.count, hit.started);
        };
        if hit.covered || hit.count > self.per_minute {
            return (hit.count, hit.started);
        }
        if hit.spent || !hit.asks {
            return (self.per_minute + 1, hit.started);
        }
        let minute = hit.started - hit.started % WINDOW_SECS;
        let window = i64::try_from(minute).unwrap_or(i64::MAX);
        let granted = match budget
            .take(key.shared(), window, self.slice(), self.per_minute)
            .await
        {
            Ok(n) => n,
            Err(e) => {
                // The shared state is out of reach: this instance's own count still limits.
                tracing::debug!(error = %e, "shared rate budget unavailable");
                self.slice()
            }
        };
        self.windows
            .grant(hit, self.slice(), granted, granted < self.slice());
        // The first request of the slice it asked for: it goes ahead if any was given.
        if granted == 0 {
            (self.per_minute + 1, hit.started)
        } else {
            (hit.count, hit.started)
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
        let mut worst = self.limit.count(Key::Address(ip), now).await;
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if let Some(token) = token {
            let by_token = self.limit.count(Key::Token(token), now).await;
            if by_token.0 > worst.0 {
                worst = by_token;
            }
        }
        let (used, started) = worst;
        let reset = started + WINDOW_SECS;
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

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: Option<Shared> = Some(Shared {
        slice: 30,
        limit: 600,
    });

    #[test]
    fn a_burst_asks_once_per_slice_and_a_spent_budget_asks_no_more() {
        let w = Windows::new();
        let key = Key::Address(None);
        let burst: Vec<Hit> = (0..64).map(|_| w.hit(key, 1_000, SHARED)).collect();
        let asking: Vec<u64> = burst.iter().filter(|h| h.asks).map(|h| h.count).collect();
        assert_eq!(
            asking,
            vec![1, 31, 61],
            "one ask per slice, not one per request"
        );
        assert!(burst.iter().all(|h| h.asks != h.covered));
        // The first slice came whole, the second only in part: the budget is spent.
        w.grant(burst[0], 30, 30, false);
        w.grant(burst[30], 30, 5, true);
        w.grant(burst[60], 30, 0, true);
        let next = w.hit(key, 1_001, SHARED);
        assert!(!next.covered && !next.asks && next.spent);
        // Without a shared budget nothing is asked.
        let alone = Windows::new();
        let h = alone.hit(key, 1_000, None);
        assert!(!h.asks && !h.covered);
    }
}
