//! The use cases of fixdesk, independent of any transport. Each write opens a unit of work,
//! checks the domain policy, writes the change and its audit row, and commits; work that must
//! not run on the async threads (password hashing) runs on a bounded blocking pool.
//!
//! Build everything through [`Fixdesk`], which other Rust programs can embed directly.

mod assignment;
mod attachments;
mod audit_log;
mod auth;
mod backup;
mod canned;
mod categories;
mod clock;
mod context;
mod database_files;
mod equipment;
mod equipment_state;
mod exports;
mod facade;
mod fair_pick;
mod file_move;
mod file_stores;
mod files;
mod hashing;
mod health;
mod housekeeping;
mod import;
mod job_failure;
mod lease;
mod live;
mod login_attempts;
mod mail;
mod notifications;
mod operator;
mod planned_completion;
mod preventive;
mod random;
mod rate_budget;
mod recipients;
mod reliability_file;
mod search;
mod seed;
mod service_levels;
mod session_cache;
mod settings;
mod statistics;
mod sweeps;
mod tickets;
mod tokens;
mod trail;
mod users;
mod worker;

pub use assignment::Assignment;
pub use attachments::Attachments;
pub use audit_log::AuditLog;
pub use auth::Auth;
pub use backup::{
    ArchiveError, BackupError, BackupReport, BackupSchedule, RestoreReport, check as check_backup,
    restore,
};
pub use canned::CannedReplies;
pub use categories::Categories;
pub use equipment::EquipmentRegister;
pub use exports::Exports;
pub use facade::Fixdesk;
pub use file_move::MoveReport;
pub use fixdesk_usecases::{
    AssignmentUseCases, AttachmentUseCases, AuditPage, AuditUseCases, AuthUseCases, ByteStream,
    CannedReplyUseCases, CategoryUseCases, EquipmentUseCases, ExportUseCases, Helpdesk,
    IssuedToken, ServiceError, ServiceLevelUseCases, StatisticsUseCases, TicketPage,
    TicketUseCases, UserBasic, UserUseCases,
};
pub use hashing::{HashingLimits, PasswordHasher};
pub use housekeeping::Housekept;
pub use import::{ImportOptions, ImportReport, Progress, Repair};
pub use mail::{MAX_MESSAGE_BYTES, MailConfig, MailConfigError, MailIn};
pub use notifications::Notifications;
pub use operator::{CounterDifference, Operator};
pub use seed::SeededAdmin;
pub use service_levels::ServiceLevels;
pub use settings::{FileStorage, ServiceSettings, SigningSecret};
pub use statistics::Statistics;
pub use tickets::Tickets;
pub use users::Users;

pub use fixdesk_db::{Backend, Database, PoolSettings};
/// A time zone, for the settings of the transports.
pub use fixdesk_usecases::domain::{DeskRules, TimeZone};

/// Connects to a database without starting the service (for migrations).
pub async fn connect_database(url: &str, pool: &PoolSettings) -> Result<Database, ServiceError> {
    Ok(Database::connect_with(url, pool).await?)
}
pub use fixdesk_domain as domain;
