//! The repository tier: each module's queries against a real database — a fresh in-memory
//! SQLite per test, or (with `FIXDESK_TEST_DATABASE_URL=postgres://…/postgres`, as CI's
//! PostgreSQL pass sets it) a fresh PostgreSQL database per test — for the edge cases a use
//! case relies on: conflicts, filters, ordering, bounds, concurrency-safe single statements.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod backups;
mod jobs;
mod mail;
mod notices;
mod people;
mod storage;
mod things;
mod tickets;

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDateTime;
use fixdesk_domain::{Priority, Role, Ticket, UserId};
use fixdesk_migration::{Migrator, MigratorTrait};
use fixdesk_repository::{tickets as ticket_rows, users};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

/// A fresh, migrated database of its own.
pub async fn db() -> DatabaseConnection {
    let url = match std::env::var("FIXDESK_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => postgres_database(&server).await,
        _ => "sqlite::memory:".to_string(),
    };
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let db = Database::connect(options).await.expect("the test database");
    Migrator::up(&db, None).await.expect("migrations");
    db
}

/// A new database on the test PostgreSQL server; its URL.
async fn postgres_database(server: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "repo_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros()
    );
    let admin = Database::connect(server).await.expect("the test server");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    let _ = admin.close().await;
    let (base, _) = server.rsplit_once('/').expect("a database in the URL");
    format!("{base}/{name}")
}

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("a time")
}

/// A person with `role`.
pub async fn person(db: &DatabaseConnection, name: &str, role: Role) -> UserId {
    let row = users::NewUserRow {
        username: name.into(),
        email: Some(format!("{name}@school.example")),
        hashed_password: "hash".into(),
        full_name: Some(format!("{name} full")),
        role,
        is_active: true,
    };
    users::insert(db, row, at("2026-12-01 09:00:00"))
        .await
        .expect("a user")
        .id
}

/// A ticket by `creator`, filed at `when`.
pub async fn ticket(db: &DatabaseConnection, creator: UserId, title: &str, when: &str) -> Ticket {
    let row = ticket_rows::NewTicketRow {
        title: title.into(),
        description: String::new(),
        room_number: "101".into(),
        priority: Priority::Medium,
        category_id: None,
        equipment_id: None,
        creator_id: creator,
        creator_name: "creator".into(),
        assignee: None,
        planned: false,
    };
    ticket_rows::insert(db, row, None, at(when))
        .await
        .expect("a ticket")
}
