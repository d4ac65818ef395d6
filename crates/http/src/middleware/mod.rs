//! Cross-cutting request handling.

pub mod backpressure;
pub mod cache_control;
pub mod compress;
pub mod deadline;
pub mod denials;
pub mod metrics;
pub mod rate_limit;
pub mod slash;
