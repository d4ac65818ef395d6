//! The stylesheet and the script, compiled into the binary. Their URLs carry a digest of their
//! content (`app.js?v=<digest>`), so a browser may keep them for a year and still loads the new
//! one on the first page after an upgrade: the page names a URL it has never seen. A request
//! naming another digest (a page from before the upgrade) gets the current file, not to be
//! kept.

use std::sync::LazyLock;

use poem::{
    IntoResponse, Request, Response, handler,
    http::{StatusCode, header},
    web::Path,
};

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

/// FNV-1a, 64 bits: not for security, only to tell one version of a file from another.
fn digest(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

static CSS_VERSION: LazyLock<String> = LazyLock::new(|| digest(CSS));
static JS_VERSION: LazyLock<String> = LazyLock::new(|| digest(JS));

/// The stylesheet's version, for its URL.
pub fn css_version() -> &'static str {
    &CSS_VERSION
}

/// The script's version, for its URL.
pub fn js_version() -> &'static str {
    &JS_VERSION
}

#[handler]
pub fn serve(req: &Request, Path(name): Path<String>) -> Response {
    let (body, content_type, version) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8", css_version()),
        "app.js" => (JS, "text/javascript; charset=utf-8", js_version()),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let asked = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("v=")));
    let cache = if asked == Some(version) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, cache)
        .header(header::ETAG, format!("\"{version}\""))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_the_content() {
        assert_eq!(css_version(), digest(CSS));
        assert_ne!(digest("a{color:red}"), digest("a{color:blue}"));
        assert_eq!(css_version().len(), 16);
        assert_ne!(css_version(), js_version());
    }
}
