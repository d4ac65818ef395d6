//! The use cases of fixdesk, independent of any transport. Each write opens a unit of work,
//! checks the domain policy, writes the change and its audit row, and commits; work that must
//! not run on the async threads (password hashing) runs on a bounded blocking pool.
//!
//! Build everything through [`Fixdesk`], which other Rust programs can embed directly.

mod assignment;
mod auth;
mod backup;
mod categories;
mod clock;
mod context;
mod equipment;
mod facade;
mod files;
mod health;
mod import;
mod jobs;
mod live;
mod mail;
mod notifications;
mod operator;
mod random;
mod rate_budget;
mod search;
mod settings;
mod sla;
mod statistics;
mod tickets;
mod trail;

pub use assignment::Assignment;
pub use auth::{Auth, HashingLimits, PasswordHasher, SeededAdmin, Users};
pub use backup::{
    ArchiveError, BackupError, BackupReport, RestoreReport, check as check_backup, restore,
};
pub use categories::Categories;
pub use equipment::EquipmentRegister;
pub use facade::Fixdesk;
pub use files::{Attachments, MoveReport};
pub use fixdesk_usecases::{
    AssignmentUseCases, AttachmentUseCases, AuditPage, AuditUseCases, AuthUseCases, ByteStream,
    CannedReplyUseCases, CategoryUseCases, EquipmentUseCases, ExportUseCases, Helpdesk,
    IssuedToken, ServiceError, ServiceLevelUseCases, StatisticsUseCases, TicketPage,
    TicketUseCases, UserBasic, UserUseCases,
};
pub use import::{ImportOptions, ImportReport, Progress, Repair};
pub use jobs::Housekept;
pub use mail::{MAX_MESSAGE_BYTES, MailConfig, MailConfigError};
pub use notifications::Notifications;
pub use operator::{CounterDifference, Operator};
pub use settings::{BackupSchedule, FileStorage, MailIn, ServiceSettings, SigningSecret};
pub use sla::ServiceLevels;
pub use statistics::{Exports, Statistics};
pub use tickets::{CannedReplies, Tickets};
pub use trail::AuditLog;

pub use fixdesk_db::{Backend, Database, PoolSettings};
/// A time zone, for the settings of the transports.
pub use fixdesk_usecases::domain::{DeskRules, TimeZone};

/// Connects to a database without starting the service (for migrations).
pub async fn connect_database(url: &str, pool: &PoolSettings) -> Result<Database, ServiceError> {
    Ok(Database::connect_with(url, pool).await?)
}
pub use fixdesk_domain as domain;
