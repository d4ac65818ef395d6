//! What list pages cost: a constant number of statements whatever their length, and index
//! reads rather than table scans for the newest tickets. Run on a real in-memory SQLite.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use chrono::NaiveDateTime;
use fixdesk_domain::{Page, Priority, Role, TicketFilter, TicketQuery, UserId};
use fixdesk_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::{RepoError, tickets, users};

async fn database() -> Result<DatabaseConnection, RepoError> {
    let mut options = ConnectOptions::new("sqlite::memory:");
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

async fn seed(db: &DatabaseConnection, n: usize) -> Result<(), RepoError> {
    let mut people = Vec::new();
    for i in 0..5 {
        let row = users::NewUserRow {
            username: format!("user{i}"),
            email: None,
            hashed_password: "x".into(),
            full_name: Some(format!("User {i}")),
            role: Role::Agent,
            is_active: true,
        };
        people.push(users::insert(db, row, now()).await?.id);
    }
    for i in 0..n {
        let row = tickets::NewTicketRow {
            title: format!("t{i}"),
            description: String::new(),
            room_number: "1".into(),
            priority: Priority::Medium,
            category_id: None,
            equipment_id: None,
            creator_id: people[i % people.len()],
            creator_name: format!("User {}", i % people.len()),
        };
        let t = tickets::insert(db, row, now()).await?;
        let change = tickets::TicketUpdate {
            assigned_to_id: Some(Some(people[(i + 1) % people.len()])),
            ..Default::default()
        };
        tickets::update(db, t.id, change, now()).await?;
    }
    Ok(())
}

fn query(limit: u64) -> TicketQuery {
    TicketQuery {
        page: Page { offset: 0, limit },
        ..Default::default()
    }
}

#[tokio::test]
async fn a_page_costs_the_same_statements_whatever_its_length() -> Result<(), RepoError> {
    let mut db = database().await?;
    seed(&db, 60).await?;
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let mut costs = Vec::new();
    for limit in [1, 10, 60] {
        statements.store(0, Ordering::SeqCst);
        let page = tickets::list(&db, &query(limit)).await?;
        assert_eq!(page.len() as u64, limit);
        assert!(
            page.iter()
                .all(|t| t.creator_name.is_some() && t.assigned_to_name.is_some())
        );
        costs.push(statements.load(Ordering::SeqCst));
    }
    assert_eq!(
        costs,
        vec![1, 1, 1],
        "one query for the page with every name on it"
    );
    Ok(())
}

async fn plan(db: &DatabaseConnection, sql: &str) -> Result<String, RepoError> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("EXPLAIN QUERY PLAN {sql}"),
        ))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "detail").ok())
        .collect::<Vec<_>>()
        .join("; "))
}

#[tokio::test]
async fn the_newest_tickets_are_read_from_an_index_not_a_scan() -> Result<(), RepoError> {
    let db = database().await?;
    seed(&db, 3).await?;
    let newest = plan(
        &db,
        "SELECT id FROM tickets ORDER BY created_at DESC, id DESC LIMIT 100",
    )
    .await?;
    assert!(newest.contains("INDEX ix_tickets_created"), "{newest}");
    assert!(
        !newest.contains("TEMP B-TREE"),
        "no sort of the whole table: {newest}"
    );
    let mine = plan(&db, "SELECT id FROM tickets WHERE creator_id = 1 AND is_hidden_for_creator = 0 ORDER BY created_at DESC LIMIT 100").await?;
    assert!(mine.contains("ix_tickets_creator_created"), "{mine}");
    let by_status = plan(
        &db,
        "SELECT id FROM tickets WHERE status = 1 ORDER BY created_at DESC LIMIT 100",
    )
    .await?;
    assert!(
        by_status.contains("ix_tickets_status_created"),
        "{by_status}"
    );
    // The filter a user's list always carries is the one the repository really builds.
    let filtered = tickets::list(
        &db,
        &TicketQuery {
            filter: TicketFilter {
                visible_to_creator: Some(UserId(1)),
                ..Default::default()
            },
            ..query(100)
        },
    )
    .await?;
    assert!(filtered.iter().all(|t| t.creator_id == UserId(1)));
    Ok(())
}
