//! Table mappings. Private: rows leave this crate only as domain types.

pub mod audit_log;
pub mod secret;
pub mod session;
pub mod user;
