//! The `/api/v1` operations, one struct per tag.

mod assignment;
mod attachments;
mod audit;
mod auth;
mod backups;
mod canned;
mod categories;
mod equipment;
mod exports;
mod mail;
mod notifications;
mod preventive;
mod search;
mod service_levels;
mod statistics;
mod tickets;
mod users;

pub use assignment::AssignmentApi;
pub use attachments::{AttachmentsApi, download as download_attachment};
pub use audit::AuditApi;
pub use auth::AuthApi;
pub use backups::BackupsApi;
pub use canned::CannedRepliesApi;
pub use categories::CategoriesApi;
pub use equipment::EquipmentApi;
pub use exports::{ExportsApi, download as download_export};
pub use mail::MailApi;
pub use notifications::NotificationsApi;
pub use preventive::PreventiveApi;
pub use search::SearchApi;
pub use service_levels::ServiceLevelsApi;
pub use statistics::StatisticsApi;
pub use tickets::{AsyncTicketsApi, TicketsApi};
pub use users::UsersApi;

use poem_openapi::payload::Json;

/// A list answer: each item in its wire shape.
fn json_list<T, Out: From<T>>(items: Vec<T>) -> Json<Vec<Out>> {
    Json(items.into_iter().map(Into::into).collect())
}

#[derive(Debug, poem_openapi::Tags)]
pub enum Tag {
    /// Signing in and out.
    Auth,
    /// Accounts and roles.
    Users,
    /// Repair tickets and their message threads.
    Tickets,
    /// Ticket categories (their names are also equipment types).
    Categories,
    /// The equipment inventory and its maintenance history.
    Equipment,
    /// Dashboard figures, served from counters (admins).
    Statistics,
    /// The tamper-evident audit log (admins).
    Audit,
    /// The caller's notifications, and their live stream.
    Notifications,
    /// Files attached to tickets.
    Attachments,
    /// Business calendars and service-level policies.
    ServiceLevels,
    /// Fair assignment: rules per category, agents' absences, the next ticket.
    Assignment,
    /// Texts staff insert into replies.
    CannedReplies,
    /// Preventive maintenance schedules and what is due.
    Maintenance,
    /// Full-text search across tickets and equipment.
    Search,
    /// Mail delivered to the desk (admins).
    Mail,
    /// The desk's own backups (admins).
    Backups,
}
