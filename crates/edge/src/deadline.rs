//! A bound on how long one request may take, from reading its body to producing its response
//! (a stream's body, once started, is not bounded). A slow client or a stuck handler gets 408
//! with a JSON `detail` instead of holding a connection and a place in flight forever; the
//! handler's work is dropped with it, and an unfinished unit of work rolls back. Requests
//! carrying files get a longer bound than the rest.

use std::time::Duration;

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{HeaderValue, StatusCode, header},
};

#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub normal: Duration,
    pub upload: Duration,
}

impl<E: Endpoint> Middleware<E> for Deadline {
    type Output = DeadlineEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        DeadlineEndpoint {
            inner: ep,
            limits: *self,
        }
    }
}

#[derive(Debug)]
pub struct DeadlineEndpoint<E> {
    inner: E,
    limits: Deadline,
}

fn timed_out() -> Response {
    let mut r = crate::status::detail(
        StatusCode::REQUEST_TIMEOUT,
        "Превышено время обработки запроса, повторите попытку",
    );
    // The request may not have been read to its end: this connection cannot carry another.
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

impl<E: Endpoint> Endpoint for DeadlineEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        // The probes answer at once or not at all; a timer each would only cost.
        if crate::probes::is_probe(req.uri().path()) {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        }
        let uploading = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let limit = if uploading {
            self.limits.upload
        } else {
            self.limits.normal
        };
        match tokio::time::timeout(limit, self.inner.call(req)).await {
            Ok(answer) => answer.map(IntoResponse::into_response),
            Err(_) => {
                tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
                Ok(timed_out())
            }
        }
    }
}
