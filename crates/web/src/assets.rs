//! The stylesheet and the script, compiled into the binary. Their URLs carry the crate
//! version, so browsers may cache them for a year and still pick up a new release.

use poem::{
    IntoResponse, Response, handler,
    http::{StatusCode, header},
    web::Path,
};

/// Part of every asset URL; changes with each release.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

#[handler]
pub fn serve(Path(name): Path<String>) -> Response {
    let (body, content_type) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .body(body)
}
