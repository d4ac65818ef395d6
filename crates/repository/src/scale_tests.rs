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
            assignee: None,
            planned: false,
        };
        let t = tickets::insert(db, row, None, now()).await?;
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

/// The working list read as two ordered halves and merged is the same list, page by page, as
/// the one condition `(new and nobody's) or (mine and open)` sorted whole.
#[tokio::test]
async fn the_working_list_is_its_two_halves_merged_in_order() -> Result<(), RepoError> {
    let db = database().await?;
    seed(&db, 40).await?;
    // Some back in the queue, some closed; user 2's open ones are theirs.
    db.execute_unprepared(
        "UPDATE tickets SET assigned_to_id = NULL, status = 0 WHERE id % 3 = 0; \
         UPDATE tickets SET status = 2 WHERE id % 5 = 0",
    )
    .await?;
    let me = UserId(2);
    let all = tickets::list(&db, &query(100)).await?;
    let expected: Vec<i64> = all
        .iter()
        .filter(|t| {
            (t.status.rank() == 0 && t.assigned_to_id.is_none())
                || (t.assigned_to_id == Some(me) && t.status.rank() != 2)
        })
        .map(|t| t.id.0)
        .collect();
    assert!(expected.len() > 10, "{expected:?}");
    let mut paged = Vec::new();
    for offset in [0, 5, 10, 15, 20] {
        let page = tickets::list(
            &db,
            &TicketQuery {
                filter: TicketFilter {
                    work_of: Some(me),
                    ..Default::default()
                },
                page: Page { offset, limit: 5 },
                ..Default::default()
            },
        )
        .await?;
        paged.extend(page.iter().map(|t| t.id.0));
    }
    assert_eq!(paged, expected);
    let filter = TicketFilter {
        work_of: Some(me),
        ..Default::default()
    };
    assert_eq!(
        tickets::count(&db, &filter, None).await?,
        expected.len() as u64
    );
    assert_eq!(
        tickets::count(&db, &filter, Some(3)).await?,
        8,
        "each half stops at 4"
    );
    Ok(())
}

/// "Overdue" and "due today" read one ordered range of an index of running due times (closed
/// and paused tickets are not in it), and the sweep finds its tickets the same way: their cost
/// follows the matches, never the table.
#[tokio::test]
async fn due_views_and_the_sweep_read_index_ranges() -> Result<(), RepoError> {
    let db = database().await?;
    seed(&db, 3).await?;
    let overdue = plan(
        &db,
        "SELECT id FROM tickets WHERE sla_due_open < '2026-12-07 10:00:00' \
         ORDER BY sla_due_open ASC, priority DESC, id ASC LIMIT 100",
    )
    .await?;
    assert!(overdue.contains("ix_tickets_sla_due_open"), "{overdue}");
    assert!(!overdue.contains("TEMP B-TREE"), "no sort: {overdue}");
    let sweep = plan(
        &db,
        "SELECT id FROM tickets WHERE sla_next_check_at <= '2026-12-07 10:00:00' \
         ORDER BY sla_next_check_at LIMIT 500",
    )
    .await?;
    assert!(sweep.contains("ix_tickets_sla_next_check_at"), "{sweep}");
    // The query the repository really builds for the view uses that range.
    let until = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let query = TicketQuery {
        filter: TicketFilter {
            due_between: Some((None, until)),
            ..Default::default()
        },
        sort: fixdesk_domain::TicketSort {
            key: fixdesk_domain::TicketSortKey::DueAt,
            descending: false,
        },
        ..query(100)
    };
    assert!(
        tickets::list(&db, &query).await?.is_empty(),
        "no clocks run"
    );
    Ok(())
}
