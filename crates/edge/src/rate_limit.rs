//! Rate limits: a fixed one-minute window per client address and, for authenticated calls, per
//! bearer token (so one user cannot hide behind many addresses, nor a busy school behind one
//! NAT starve another). Every counted answer carries `X-RateLimit-Limit`, `-Remaining` and
//! `-Reset`; past the limit the answer is 429 with `Retry-After`. CORS preflights and the
//! probes are not counted. State is per process and bounded in size.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use moka::sync::Cache;
use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{HeaderValue, Method, StatusCode, header},
};

const WINDOW_SECS: u64 = 60;

#[derive(Debug)]
struct Window {
    started: u64,
    count: AtomicU64,
}

#[derive(Debug, Clone)]
pub struct RateLimit {
    per_minute: u64,
    windows: Cache<String, Arc<Window>>,
}

impl RateLimit {
    /// Counts per client address (as [`crate::ClientAddress`] identified it) and per token.
    pub fn new(per_minute: u64) -> Self {
        Self {
            per_minute: per_minute.max(1),
            windows: Cache::builder()
                .max_capacity(200_000)
                .time_to_live(Duration::from_secs(WINDOW_SECS * 2))
                .build(),
        }
    }

    /// Counts one request for `key`; returns (used, window end as unix time).
    fn hit(&self, key: String, now: u64) -> (u64, u64) {
        let window = self.windows.get_with(key.clone(), || {
            Arc::new(Window {
                started: now,
                count: AtomicU64::new(0),
            })
        });
        let window = if now >= window.started + WINDOW_SECS {
            let fresh = Arc::new(Window {
                started: now,
                count: AtomicU64::new(0),
            });
            self.windows.insert(key, fresh.clone());
            fresh
        } else {
            window
        };
        (
            window.count.fetch_add(1, Ordering::Relaxed) + 1,
            window.started + WINDOW_SECS,
        )
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
        let ip = crate::client::client_of(&req)
            .ip
            .unwrap_or_else(|| "unknown".to_string());
        let mut worst = self.limit.hit(format!("ip:{ip}"), now);
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Some(token) = token {
            let by_token = self.limit.hit(format!("token:{token}"), now);
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
