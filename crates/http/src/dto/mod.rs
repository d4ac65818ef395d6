//! Wire shapes of `/api/v1`, field for field as the contract names them, with conversions to
//! and from the domain types.

pub mod assignment;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod backups;
pub mod canned;
pub mod categories;
pub mod common;
pub mod equipment;
pub mod mail;
pub mod notifications;
pub mod params;
pub mod preventive;
pub mod search;
pub mod service_levels;
pub mod statistics;
pub mod tickets;
pub mod users;
