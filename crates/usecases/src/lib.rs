//! The use cases of fixdesk as traits: what a transport (the JSON API, the web UI) may ask of
//! the service, and (from the domain) the one error type it answers with. Implemented by `fixdesk-service`;
//! depending on this crate alone keeps a transport free of any database code.

mod assignment;
mod attachments;
mod audit;
mod auth;
mod backups;
mod canned;
mod categories;
mod equipment;
mod exports;
mod helpdesk;
mod mail;
mod monitoring;
mod notifications;
mod preventive;
mod rate_budget;
mod search;
mod service_levels;
mod statistics;
mod tickets;
mod users;

pub use assignment::AssignmentUseCases;
pub use attachments::{AttachmentUseCases, ByteStream, StagedFile};
pub use audit::{AuditPage, AuditUseCases};
pub use auth::{AuthUseCases, IssuedToken};
pub use backups::BackupUseCases;
pub use canned::CannedReplyUseCases;
pub use categories::CategoryUseCases;
pub use equipment::EquipmentUseCases;
pub use exports::ExportUseCases;
pub use fixdesk_domain::ServiceError;
pub use helpdesk::Helpdesk;
pub use mail::{KeptMail, MailUseCases};
pub use monitoring::Gauge;
pub use notifications::NotificationUseCases;
pub use preventive::{PreventiveUseCases, ServiceDue};
pub use rate_budget::RateBudget;
pub use search::SearchUseCases;
pub use service_levels::ServiceLevelUseCases;
pub use statistics::StatisticsUseCases;
pub use tickets::{TicketInFull, TicketPage, TicketUseCases};
pub use users::{UserBasic, UserUseCases};

pub use async_trait::async_trait;
pub use fixdesk_domain as domain;
pub use futures::stream::BoxStream;
