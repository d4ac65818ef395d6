//! A request answered before its body was read (refused by sign-in, the rate limit or
//! backpressure, redirected to its trailing-slash form) leaves bytes on the connection. hyper
//! then drains what has already arrived or, when the rest is still on its way, closes the
//! connection after the answer — without saying so. A client that pooled the connection sends
//! its next request into the closing socket and gets "connection aborted" (schemathesis did).
//! This layer watches the body and, when it was left unread, answers `Connection: close`, so
//! clients open a fresh connection instead of reusing a dying one.

use std::{
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::combinators::BoxBody;
use poem::{
    Body, Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{HeaderMap, HeaderValue, header},
};

#[derive(Debug, Clone, Copy, Default)]
pub struct UnreadBody;

impl<E: Endpoint> Middleware<E> for UnreadBody {
    type Output = UnreadBodyEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        UnreadBodyEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct UnreadBodyEndpoint<E>(E);

impl<E: Endpoint> Endpoint for UnreadBodyEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        if !has_body(req.headers()) {
            return self.0.call(req).await.map(IntoResponse::into_response);
        }
        let read = Arc::new(AtomicBool::new(false));
        let body = Watched {
            inner: req.take_body().into(),
            read: read.clone(),
        };
        req.set_body(Body::from(BoxBody::new(body)));
        let result = self.0.call(req).await.map(IntoResponse::into_response);
        if read.load(Ordering::Acquire) {
            return result;
        }
        // An error is turned into its answer further out; only a response can say it here.
        result.map(|mut resp| {
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            resp
        })
    }
}

/// Whether the request announces a body (GETs and other bodiless requests are left alone).
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// The request body, noting when it has been read to its end.
struct Watched {
    inner: BoxBody<Bytes, std::io::Error>,
    read: Arc<AtomicBool>,
}

impl HttpBody for Watched {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let frame = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(frame, Poll::Ready(None)) {
            self.read.store(true, Ordering::Release);
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Watched {
    /// A body read to its last byte counts as read even if nobody polled past it.
    fn drop(&mut self) {
        if self.inner.is_end_stream() {
            self.read.store(true, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use poem::{EndpointExt, handler, http::Method};

    use super::*;

    #[handler]
    async fn reads(body: Vec<u8>) -> String {
        body.len().to_string()
    }

    #[handler]
    async fn refuses() -> poem::http::StatusCode {
        poem::http::StatusCode::UNAUTHORIZED
    }

    fn post(length: &str) -> Request {
        Request::builder()
            .method(Method::POST)
            .header(header::CONTENT_LENGTH, length)
            .body("hello")
    }

    #[tokio::test]
    async fn a_read_body_keeps_the_connection() {
        let resp = reads.with(UnreadBody).call(post("5")).await.unwrap();
        assert!(resp.headers().get(header::CONNECTION).is_none());
        assert_eq!(resp.into_body().into_string().await.unwrap(), "5");
    }

    #[tokio::test]
    async fn an_unread_body_closes_the_connection() {
        let resp = refuses.with(UnreadBody).call(post("5")).await.unwrap();
        assert_eq!(resp.status(), poem::http::StatusCode::UNAUTHORIZED);
        assert_eq!(resp.headers()[header::CONNECTION], "close");
    }

    #[tokio::test]
    async fn a_request_without_a_body_is_left_alone() {
        let resp = refuses.with(UnreadBody).call(post("0")).await.unwrap();
        assert!(resp.headers().get(header::CONNECTION).is_none());
    }
}
