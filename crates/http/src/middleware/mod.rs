//! The API's own request handling: its slash rules, its query check, audited denials and
//! no caching.

pub mod cache_control;
pub mod denials;
pub mod plain_query;
pub mod slash;
