//! Response compression: brotli or gzip (as the client accepts) for API and page bodies of at
//! least [`MIN_BYTES`]. Smaller bodies are not worth it, and streams (events, file downloads)
//! are left alone so that live events are never held back in a compressor's buffer.

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{HeaderValue, header},
    web::{Compress, CompressionAlgo},
};

/// Bodies smaller than this go out as they are.
pub const MIN_BYTES: usize = 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct CompressLarge;

impl<E: Endpoint> Middleware<E> for CompressLarge {
    type Output = CompressLargeEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        CompressLargeEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct CompressLargeEndpoint<E>(E);

fn negotiate(req: &Request) -> Option<CompressionAlgo> {
    let accepted = req.headers().get(header::ACCEPT_ENCODING)?.to_str().ok()?;
    let offers = |name: &str| {
        accepted.split(',').any(|c| {
            c.split(';')
                .next()
                .is_some_and(|c| c.trim().eq_ignore_ascii_case(name))
                && !c.contains("q=0")
        })
    };
    if offers("br") {
        Some(CompressionAlgo::BR)
    } else if offers("gzip") {
        Some(CompressionAlgo::GZIP)
    } else {
        None
    }
}

fn compressible(resp: &Response) -> bool {
    let ct = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    !resp.headers().contains_key(header::CONTENT_ENCODING)
        && [
            "application/json",
            "text/html",
            "text/css",
            "application/javascript",
            "text/javascript",
        ]
        .iter()
        .any(|t| ct.starts_with(t))
}

impl<E: Endpoint> Endpoint for CompressLargeEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let algo = negotiate(&req);
        let mut resp = self.0.call(req).await?.into_response();
        let Some(algo) = algo.filter(|_| compressible(&resp)) else {
            return Ok(resp);
        };
        let body = resp.take_body().into_bytes().await?;
        resp.headers_mut()
            .append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if body.len() < MIN_BYTES {
            resp.set_body(body);
            return Ok(resp);
        }
        resp.headers_mut().remove(header::CONTENT_LENGTH);
        resp.set_body(body);
        Ok(Compress::new(resp, algo).into_response())
    }
}
