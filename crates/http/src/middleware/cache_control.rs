//! `Cache-Control` for API responses. The old service marked per-user answers `public` for up
//! to a day (§5 S11); every fixdesk API answer is `private, no-store` instead.

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{HeaderValue, header},
};

#[derive(Debug, Clone, Copy, Default)]
pub struct NoStore;

impl<E: Endpoint> Middleware<E> for NoStore {
    type Output = NoStoreEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        NoStoreEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct NoStoreEndpoint<E>(E);

impl<E: Endpoint> Endpoint for NoStoreEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let api = req.uri().path().starts_with("/api/") || req.uri().path() == "/health";
        let mut resp = self.0.call(req).await?.into_response();
        if api {
            resp.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
        }
        Ok(resp)
    }
}
