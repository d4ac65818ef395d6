//! The gate every page request passes: cross-site and oversized requests are refused before
//! any handler runs, every failure becomes a page (or a redirect) in the visitor's language,
//! and every answer carries the security headers.

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response,
    http::{HeaderValue, Method, StatusCode, header},
};

use crate::{WebError, error, i18n::Lang};

/// Security headers on every answer; refuses state-changing requests whose `Origin` is
/// another site (a second line behind the CSRF tokens), and bodies over the limits below
/// before anything reads them.
#[derive(Debug, Clone, Copy)]
pub struct PageGuard;

impl<E: Endpoint> Middleware<E> for PageGuard {
    type Output = PageGuardEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        PageGuardEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct PageGuardEndpoint<E>(E);

/// A plain form: text fields only.
const FORM_LIMIT: u64 = 256 * 1024;
/// A form with files: a few attachments of up to 10 MiB each (the service caps each file).
const UPLOAD_LIMIT: u64 = 55 * 1024 * 1024;

/// Whether the body announced by the request is within its limit. Browsers always announce
/// the length of a form; a body that does not is refused.
fn body_within_limit(req: &Request) -> bool {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if multipart { UPLOAD_LIMIT } else { FORM_LIMIT };
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|len| len <= limit)
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                   script-src 'self'; connect-src 'self'; frame-ancestors 'none'; \
                   form-action 'self'; base-uri 'none'";

/// Whether a query parameter carries a control character (no page's link or form makes one;
/// see `fixdesk_domain::text`).
fn control_characters_in_query(req: &Request) -> bool {
    use fixdesk_usecases::domain::text::forbidden_character;
    req.uri().query().is_some_and(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .unwrap_or_default()
            .iter()
            .any(|(k, v)| forbidden_character(k).or(forbidden_character(v)).is_some())
    })
}

impl<E: Endpoint> Endpoint for PageGuardEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        let lang = Lang::of(&req);
        let jar = req.cookie().clone();
        let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD);
        let answer = if unsafe_method && fixdesk_edge::cross_origin(&req) {
            Err(WebError::Csrf.into())
        } else if control_characters_in_query(&req) {
            Err(WebError::BadForm("query".into()).into())
        } else if unsafe_method && !body_within_limit(&req) {
            Err(poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE))
        } else {
            self.0.call(req).await.map(IntoResponse::into_response)
        };
        let mut resp = answer.unwrap_or_else(|err| error::respond(err, lang, &jar));
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        if !h.contains_key(header::CACHE_CONTROL) {
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
        }
        Ok(resp)
    }
}
