//! Pure types and rules of fixdesk: identifiers, values that parse themselves, roles, the
//! permission policy and the audit vocabulary. Nothing here touches a database, a network or
//! a runtime, so every rule can be unit-tested in isolation and reused by any transport.

pub mod actor;
pub mod assignment;
pub mod attachment;
pub mod audit;
pub mod backup;
pub mod canned;
pub mod category;
pub mod client;
pub mod counters;
pub mod equipment;
pub mod error;
pub mod export;
pub mod ids;
pub mod job;
pub mod login_guard;
pub mod mail;
pub mod mail_out;
pub mod mail_proof;
pub mod message;
pub mod money;
pub mod notification;
pub mod page;
pub mod patch;
pub mod policy;
pub mod preferences;
pub mod preventive;
pub mod readiness;
pub mod reliability;
pub mod removal;
pub mod role;
pub mod search;
pub mod service_error;
pub mod sla;
pub mod statistics;
#[cfg(test)]
mod testing;
pub mod text;
pub mod ticket;
pub mod timeline;
pub mod user;

pub use actor::Actor;
pub use attachment::{Attachment, UploadName};
pub use audit::{
    AuditAction, AuditEntity, AuditFilter, AuditRecord, AuditUser, ChainProblem, NewAuditEntry,
};
pub use category::{Category, CategoryChanges, CategoryName, NewCategory};
pub use client::ClientInfo;
pub use equipment::{
    Equipment, EquipmentChanges, EquipmentDetails, EquipmentFilter, EquipmentStatus, Maintenance,
    MaintenanceKind, NewEquipment, NewMaintenance,
};
pub use error::{DomainError, ErrorKind, FieldError};
pub use export::{EXPORT_COLUMNS, ExportFormat, ExportLayout};
pub use ids::{CategoryId, EquipmentId, MaintenanceId, MessageId, SessionId, TicketId, UserId};
pub use job::{Job, JobKind, JobState};
pub use mail_out::{DeskAddress, Letter, MailChannel, MailChoices, MailSettings};
pub use message::{MessageText, TicketMessage};
pub use notification::{NewNotification, Notification, NotificationKind, NotificationSettings};
pub use page::Page;
pub use patch::Patch;
pub use preferences::{Language, Preferences, PreferencesChange, TimeZone};
pub use readiness::{NotReady, StorageProblem};
pub use removal::Removal;
pub use role::Role;
pub use search::{
    HitSubject, MatchedIn, SearchHit, SearchQuery, SearchScope, SearchTerms, Snippet,
};
pub use service_error::ServiceError;
pub use statistics::{AgentPerformance, PeriodStats, StatsPeriod, TicketSummary, UserActivity};
pub use ticket::{
    Description, DeskRules, DueView, NewTicket, Priority, Resolution, RoomNumber, Ticket,
    TicketChanges, TicketFilter, TicketQuery, TicketSort, TicketSortKey, TicketStatus, Title,
};
pub use user::{Email, FullName, NewUser, Password, User, UserChanges, Username, display_name};
