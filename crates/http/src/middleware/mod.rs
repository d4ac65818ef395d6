//! Cross-cutting request handling.

pub mod cache_control;
pub mod denials;
pub mod slash;
