//! Which browser origins may call the server. A request from the server's own origin (the
//! web interface's forms send `Origin` too) is never a CORS request and passes untouched.
//! Requests from other origins follow [`CorsPolicy`]: any origin (development, for the old
//! frontend on another port), a configured list, or none at all — the default outside
//! development, so a deployment never trusts every website by accident.

use std::sync::Arc;

use poem::{
    Endpoint, EndpointExt, IntoResponse, Middleware, Request, Response, Result,
    endpoint::BoxEndpoint,
    http::{Method, StatusCode, header},
    middleware::Cors,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsPolicy {
    /// Every origin, with credentials (development).
    AnyOrigin,
    /// These origins only.
    Origins(Vec<String>),
    /// No other origin: the server's own pages and same-origin clients only.
    SameOrigin,
}

#[derive(Debug, Clone)]
pub struct CrossOrigin(pub CorsPolicy);

impl<E: Endpoint + 'static> Middleware<E> for CrossOrigin {
    type Output = CrossOriginEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        let inner = Arc::new(ep);
        let cors = match &self.0 {
            CorsPolicy::AnyOrigin => Some(cors().transform(inner.clone()).boxed()),
            CorsPolicy::Origins(list) => Some(
                cors()
                    .allow_origins(list.iter().map(String::as_str))
                    .transform(inner.clone())
                    .boxed(),
            ),
            CorsPolicy::SameOrigin => None,
        };
        CrossOriginEndpoint { inner, cors }
    }
}

fn cors() -> Cors {
    Cors::new()
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
            Method::PATCH,
        ])
        .expose_headers([
            "Content-Type",
            "Authorization",
            "Content-Length",
            "X-Total-Count",
        ])
        // Requested headers are echoed (a literal `*` would not cover `Authorization`).
        .max_age(600)
}

pub struct CrossOriginEndpoint<E> {
    inner: Arc<E>,
    /// `None`: no other origin is allowed.
    cors: Option<BoxEndpoint<'static, Response>>,
}

impl<E> std::fmt::Debug for CrossOriginEndpoint<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrossOriginEndpoint")
            .field("allows_other_origins", &self.cors.is_some())
            .finish()
    }
}

/// Whether the request comes from a page of another site: its `Origin` (browsers send one on
/// every cross-site request and on same-site ones that change something) names another host
/// than the one it was sent to, scheme aside (a proxy may have ended TLS), or is `null`.
pub fn cross_origin(req: &Request) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return false;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let same = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .zip(host)
        .is_some_and(|((_, authority), host)| authority.eq_ignore_ascii_case(host));
    !same
}

impl<E: Endpoint + 'static> Endpoint for CrossOriginEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        if !cross_origin(&req) {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        }
        match &self.cors {
            Some(cors) => cors.call(req).await,
            None => Ok(crate::status::detail(
                StatusCode::FORBIDDEN,
                "Запросы с других сайтов запрещены (origin not allowed)",
            )),
        }
    }
}
