//! The database session of fixdesk: connecting from a URL (SQLite or PostgreSQL) and the
//! unit of work that owns one transaction. Repository code runs on whatever connection it is
//! handed; the use case decides where a transaction begins and ends.

mod database;
mod error;
mod listener;
mod storage;
mod unit_of_work;
mod url;

pub use database::{Backend, Database, PoolSettings};
pub use error::DbError;
pub use storage::MIN_FREE_BYTES;
pub use unit_of_work::UnitOfWork;
pub use url::DbUrl;

/// Re-exported so the layers above can name the connection types without their own
/// dependency on sea-orm's version.
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};
