//! Persistence for fixdesk: sea-orm entities (private to this crate) and one module per
//! aggregate. Every function is generic over the connection, so it runs on a pool or inside
//! whatever unit of work the service opened; none of them begins or commits a transaction.

mod entities;
mod error;
mod like;

pub mod assignment;
pub mod attachments;
pub mod audit;
pub mod backups;
pub mod batch;
pub mod canned;
pub mod categories;
pub mod equipment;
pub mod import;
pub mod jobs;
pub mod legacy;
pub mod login_failures;
pub mod mail;
pub mod mail_out;
pub mod maintenance;
pub mod messages;
pub mod notifications;
pub mod preferences;
pub mod preventive;
pub mod probe;
pub mod rate_windows;
pub mod search;
pub mod secrets;
pub mod sessions;
pub mod sla;
pub mod statistics;
pub mod stored_files;
pub mod tickets;
pub mod users;

pub use error::RepoError;

#[cfg(test)]
mod scale_tests;
