//! Table mappings. Private: rows leave this crate only as domain types.

pub mod agent_absence;
pub mod assignment_rule;
pub mod attachment;
pub mod audit_chain;
pub mod audit_log;
pub mod canned_reply;
pub mod category;
pub mod equipment;
pub mod job;
pub mod login_failure;
pub mod maintenance;
pub mod maintenance_occurrence;
pub mod maintenance_schedule;
pub mod notification;
pub mod notification_setting;
pub mod secret;
pub mod session;
pub mod session_revocation;
pub mod sla_calendar;
pub mod sla_policy;
pub mod statistics;
pub mod ticket;
pub mod ticket_message;
pub mod user;
pub mod user_preference;
pub mod write_probe;
