//! Cross-cutting request handling.

pub mod backpressure;
pub mod cache_control;
pub mod compress;
pub mod cors;
pub mod deadline;
pub mod denials;
pub mod metrics;
pub mod plain_query;
pub mod rate_limit;
pub mod security_headers;
pub mod slash;

/// The probes (`/health`, `/ready`, `/metrics`): answered whatever the load, so no limit,
/// queue or timer applies to them.
pub fn is_probe(path: &str) -> bool {
    matches!(path, "/health" | "/ready" | "/metrics")
}
