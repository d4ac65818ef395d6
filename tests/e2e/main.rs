//! End-to-end tests: one binary, a module per area (one link instead of many).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod auth;
mod http_rules;
mod lifecycle;
mod permissions;
mod sessions;
mod users;
