//! Statistics: the figures, who may see them, and the counters' consistency with the tickets.

use fixdesk_service::{
    Helpdesk,
    domain::{Actor, ClientInfo, TicketId, TicketStatus, UserId},
};
use fixdesk_tests::{TestApp, TestUser};
use rand::{Rng, SeedableRng, rngs::StdRng};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn stat(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/statistics/{path}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

#[tokio::test]
async fn the_figures_follow_the_tickets() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let v = app.user("viewer", "user").await;
    let a1 = app.user("agent_one", "agent").await;
    let a2 = app.user("agent_two", "agent").await;
    let mut ids = Vec::new();
    for (who, p) in [(&u, "high"), (&u, "low"), (&u, "high"), (&v, "medium")] {
        let (_, t) = app
            .call(
                Method::POST,
                "/api/v1/tickets/",
                Some(&who.token),
                Some(json!({"title": "t", "description": "d", "room_number": "1", "priority": p})),
            )
            .await;
        ids.push(t["id"].as_i64().unwrap());
    }
    let empty = stat(&app, &admin, "tickets-summary").await;
    assert_eq!(empty["avg_resolution_time_hours"], Value::Null);
    for id in &ids[..3] {
        app.call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/assign"),
            Some(&a1.token),
            Some(json!({})),
        )
        .await;
    }
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{}/assign", ids[3]),
        Some(&a2.token),
        Some(json!({})),
    )
    .await;
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{}/close", ids[0]),
        Some(&a1.token),
        Some(json!({})),
    )
    .await;
    // One more closed ticket, filed two hours earlier (planted so the average is known).
    app.call(
        Method::POST,
        &format!("/api/v1/tickets/{}/close", ids[1]),
        Some(&a1.token),
        Some(json!({})),
    )
    .await;
    let two_hours_earlier = if fixdesk_tests::on_postgres() {
        "created_at - interval '2 hours'"
    } else {
        "datetime(created_at, '-2 hours')"
    };
    app.exec(&format!(
        "UPDATE tickets SET created_at = {two_hours_earlier}, closed_at = created_at WHERE id = {}",
        ids[1]
    ))
    .await;
    app.exec(&format!(
        "UPDATE tickets SET closed_at = created_at WHERE id = {}",
        ids[0]
    ))
    .await;
    app.service.operator().rebuild_statistics().await.unwrap();

    let s = stat(&app, &admin, "tickets-summary").await;
    assert_eq!(s["total_tickets"], 4);
    assert_eq!(s["total"], 4);
    assert_eq!(
        s["status_distribution"],
        json!({"in_progress": 2, "closed": 2}),
        "statuses that occur only"
    );
    assert_eq!(
        s["by_status"],
        json!({"new": 0, "in_progress": 2, "closed": 2})
    );
    assert_eq!(
        s["priority_distribution"],
        json!({"high": 2, "low": 1, "medium": 1})
    );
    assert_eq!(s["by_priority"], json!({"low": 1, "medium": 1, "high": 2}));
    assert_eq!(s["avg_resolution_time_hours"], 1.0, "(0 h + 2 h) / 2");

    let agents = stat(&app, &admin, "agent-performance?days=30").await;
    let row = |id: i64| {
        agents
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["agent_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(row(a1.id)["assigned_tickets"], 3);
    assert_eq!(row(a1.id)["resolved_tickets"], 2);
    assert_eq!(row(a1.id)["agent_name"], "agent_one full");
    assert!((row(a1.id)["resolution_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        (
            row(a2.id)["assigned_tickets"].clone(),
            row(a2.id)["resolution_rate"].clone()
        ),
        (json!(1), json!(0.0))
    );
    assert!(
        agents
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["resolution_rate"].as_f64().unwrap() <= 1.0)
    );

    let p = stat(&app, &admin, "tickets-by-period?period=week").await;
    assert_eq!(
        p,
        json!({"period": "week", "new_tickets": 4, "resolved_tickets": 2, "in_progress_tickets": 2, "resolution_rate": 0.5})
    );
    let activity = stat(&app, &admin, "user-activity?top=1").await;
    assert_eq!(
        activity,
        json!({"most_active_by_tickets": [{"user_id": u.id, "username": "teacher", "full_name": "teacher full", "ticket_count": 3}]})
    );

    for bad in [
        "tickets-by-period?period=fortnight",
        "agent-performance?days=0",
        "user-activity?top=1000",
    ] {
        assert_eq!(
            app.status(
                Method::GET,
                &format!("/api/v1/statistics/{bad}"),
                Some(&admin),
                None
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
    for path in [
        "tickets-summary",
        "agent-performance",
        "tickets-by-period",
        "user-activity",
    ] {
        for t in [&u.token, &a1.token] {
            let (status, body) = app
                .call(
                    Method::GET,
                    &format!("/api/v1/statistics/{path}"),
                    Some(t),
                    None,
                )
                .await;
            assert_eq!(
                (status, body),
                (
                    StatusCode::FORBIDDEN,
                    json!({"detail": "Недостаточно прав. Требуется роль администратора."})
                )
            );
        }
        assert_eq!(
            app.status(
                Method::GET,
                &format!("/api/v1/statistics/{path}"),
                None,
                None
            )
            .await,
            StatusCode::UNAUTHORIZED
        );
    }
}

async fn actor(app: &TestApp, user: &TestUser) -> Actor {
    app.service.auth().authenticate(&user.token).await.unwrap()
}

#[tokio::test]
async fn counters_equal_a_recount_after_any_sequence_of_ticket_operations() {
    let app = TestApp::spawn().await;
    let people = [
        app.user("p_user1", "user").await,
        app.user("p_user2", "user").await,
        app.user("p_agent1", "agent").await,
        app.user("p_agent2", "agent").await,
        app.user("p_admin", "admin").await,
    ];
    let mut actors = Vec::new();
    for p in &people {
        actors.push(actor(&app, p).await);
    }
    let tickets = app.service.tickets();
    let client = ClientInfo::default();
    let mut rng = StdRng::seed_from_u64(20261122);
    let mut ids: Vec<TicketId> = Vec::new();
    let statuses = [
        TicketStatus::New,
        TicketStatus::InProgress,
        TicketStatus::Closed,
    ];
    for _ in 0..400 {
        let who = &actors[rng.random_range(0..actors.len())];
        let target = (!ids.is_empty()).then(|| ids[rng.random_range(0..ids.len())]);
        // Refusals are part of the sequence too: they must leave the counters alone.
        let _ = match (rng.random_range(0..9), target) {
            (0 | 1, _) | (_, None) => {
                let new = fixdesk_service::domain::NewTicket {
                    title: fixdesk_service::domain::Title::parse("t").unwrap(),
                    description: fixdesk_service::domain::Description::parse("").unwrap(),
                    room_number: fixdesk_service::domain::RoomNumber::parse("1").unwrap(),
                    priority: fixdesk_service::domain::Priority::ALL[rng.random_range(0..3)],
                    category_id: None,
                    equipment_id: None,
                };
                tickets
                    .create(who, new, &client)
                    .await
                    .map(|t| ids.push(t.id))
            }
            (2, Some(id)) => tickets.claim(who, id, &client).await.map(drop),
            (3, Some(id)) => tickets
                .set_status(who, id, statuses[rng.random_range(0..3)], &client)
                .await
                .map(drop),
            (4, Some(id)) => tickets.close(who, id, &client).await.map(drop),
            (5, Some(id)) => {
                let to = UserId(people[rng.random_range(2..5)].id);
                tickets.assign(who, id, to, &client).await.map(drop)
            }
            (6, Some(id)) => {
                let changes = fixdesk_service::domain::TicketChanges {
                    priority: Some(fixdesk_service::domain::Priority::ALL[rng.random_range(0..3)]),
                    ..Default::default()
                };
                tickets.update(who, id, changes, &client).await.map(drop)
            }
            (7, Some(id)) => tickets
                .close_with_message(who, id, "готово".into(), &client)
                .await
                .map(drop),
            (_, Some(id)) => {
                let r = tickets.delete(who, id, &client).await;
                if r.is_ok() && who.role == fixdesk_service::domain::Role::Admin {
                    ids.retain(|t| *t != id);
                }
                r
            }
        };
    }
    let differences = app.service.operator().verify_statistics().await.unwrap();
    assert_eq!(differences, Vec::new());
    // And the summary agrees with the tickets themselves.
    let admin = app.admin_token().await;
    let s = stat(&app, &admin, "tickets-summary").await;
    assert_eq!(
        s["total_tickets"].as_i64().unwrap(),
        app.count("SELECT COUNT(*) FROM tickets").await
    );
    assert_eq!(
        s["by_status"]["closed"].as_i64().unwrap(),
        app.count("SELECT COUNT(*) FROM tickets WHERE status = 2")
            .await
    );
    assert!(
        app.count("SELECT COUNT(*) FROM tickets").await > 20,
        "the sequence did real work"
    );

    // A counter edited behind the service's back is found, and rebuild repairs it.
    app.exec("UPDATE stats_tickets SET tickets = tickets + 5 WHERE status = 0")
        .await;
    assert!(
        !app.service
            .operator()
            .verify_statistics()
            .await
            .unwrap()
            .is_empty()
    );
    app.service.operator().rebuild_statistics().await.unwrap();
    assert_eq!(
        app.service.operator().verify_statistics().await.unwrap(),
        Vec::new()
    );
}

#[tokio::test]
async fn an_admin_rebuilds_the_counters_in_the_job_queue() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    for title in ["Принтер", "Сканер"] {
        app.ticket(&user.token, title).await;
    }
    let admin = app.admin_token().await;
    // Counters damaged behind the service's back show wrong figures...
    app.exec("UPDATE stats_tickets SET tickets = tickets + 5 WHERE status = 0")
        .await;
    assert_eq!(stat(&app, &admin, "tickets-summary").await["total"], 7);
    // ...only an admin may start a rebuild...
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/statistics/rebuild",
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, job) = app
        .call(
            Method::POST,
            "/api/v1/statistics/rebuild",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(job["state"], "queued");
    let path = format!("/api/v1/statistics/rebuild/{}", job["id"]);
    // ...and the queue runs it.
    let mut state = Value::Null;
    for _ in 0..100 {
        let (status, body) = app.call(Method::GET, &path, Some(&admin), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        state = body["state"].clone();
        if state == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(state, "done");
    assert_eq!(stat(&app, &admin, "tickets-summary").await["total"], 2);
    // Another kind of job is not a rebuild.
    let export = app.export(&admin, json!({})).await;
    let (status, _) = app
        .call(
            Method::GET,
            &format!("/api/v1/statistics/rebuild/{}", export["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
