//! A bound on requests in flight. A request that cannot start within a short wait is answered
//! 503 with `Retry-After` at once, so overload sheds load instead of queueing without end.
//! Long-lived streams and the probes are not counted: a stream would hold its place for hours,
//! and the probes must answer especially when the server is busy.

use std::{sync::Arc, time::Duration};

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result, http::StatusCode};
use tokio::sync::Semaphore;

#[derive(Debug, Clone)]
pub struct Backpressure {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Backpressure {
    pub fn new(max_in_flight: usize, wait: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(max_in_flight.max(1))),
            wait,
        }
    }
}

fn exempt(path: &str) -> bool {
    crate::probes::is_probe(path)
        || matches!(
            path,
            "/api/v1/notifications/stream" | "/api/v1/audit-logs/ws"
        )
}

impl<E: Endpoint> Middleware<E> for Backpressure {
    type Output = BackpressureEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        BackpressureEndpoint {
            inner: ep,
            limit: self.clone(),
        }
    }
}

#[derive(Debug)]
pub struct BackpressureEndpoint<E> {
    inner: E,
    limit: Backpressure,
}

pub(crate) fn overloaded() -> Response {
    crate::status::detail_retry_after(
        StatusCode::SERVICE_UNAVAILABLE,
        "Сервер перегружен, повторите попытку позже",
        1,
    )
}

impl<E: Endpoint> Endpoint for BackpressureEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        if exempt(req.uri().path()) {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        }
        let permit = match self.limit.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => match tokio::time::timeout(
                self.limit.wait,
                self.limit.permits.clone().acquire_owned(),
            )
            .await
            {
                Ok(Ok(p)) => p,
                _ => return Ok(overloaded()),
            },
        };
        let resp = self.inner.call(req).await.map(IntoResponse::into_response);
        drop(permit);
        resp
    }
}
