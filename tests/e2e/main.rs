//! End-to-end tests: one binary, a module per area (one link instead of many).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod assignment;
mod attachments;
mod audit;
mod auth;
mod canned_replies;
mod categories;
mod connections;
mod durability;
mod equipment;
mod http_rules;
mod import_legacy;
mod jobs;
mod legacy_bugs;
mod lifecycle;
mod live;
mod mail_gateway;
mod mail_out;
mod notifications;
mod permissions;
mod preventive;
mod repair_loop;
mod resilience;
mod rolling_upgrade;
mod scale_out;
mod search;
mod server_process;
mod service_levels;
mod sessions;
mod statistics;
mod text_input;
mod ticket_permissions;
mod ticket_workflow;
mod tickets;
mod users;
mod web_ui;
