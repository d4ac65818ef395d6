//! The pages and form handlers, one module per area.

pub mod account;
pub mod assignees;
pub mod assignment;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod backups;
pub mod bulk;
pub mod categories;
pub mod equipment;
pub mod equipment_form;
pub mod exports;
pub mod health;
pub mod labels;
pub mod mail;
pub mod new_ticket;
pub mod notifications;
pub mod schedules;
pub mod search;
pub mod service_levels;
pub mod stats;
pub mod ticket;
pub mod ticket_actions;
pub mod ticket_timeline;
pub mod tickets;
pub mod users;
