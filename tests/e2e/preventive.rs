//! Preventive maintenance: a schedule opens exactly one ticket per due date, across two
//! instances on one database and after downtime; completing it records the maintenance and
//! moves the next due date; schedules are the admins'.

use chrono::{Days, Duration};
use fixdesk_service::{Fixdesk, ServiceSettings};
use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A second instance on the app's database, without background work.
async fn second_instance(app: &TestApp) -> Fixdesk {
    let mut settings = ServiceSettings::new(app.settings.database_url.clone());
    settings.data_dir = app.data_dir().join("second");
    settings.job_workers = 0;
    Fixdesk::open(settings).await.expect("a second instance")
}

/// Both instances sweep at once; returns how many tickets they opened together.
async fn sweep_both(a: &Fixdesk, b: &Fixdesk) -> u32 {
    let (x, y) = tokio::join!(
        a.operator().maintenance_sweep(),
        b.operator().maintenance_sweep()
    );
    x.expect("sweep") + y.expect("sweep")
}

async fn tickets_of(app: &TestApp, item: i64, token: &str) -> Vec<Value> {
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{item}/tickets"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().expect("tickets").clone()
}

#[tokio::test]
async fn a_schedule_opens_one_ticket_per_due_date_across_instances_and_after_downtime() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("agent1", "agent").await;
    let printers = app.category("Printers").await;
    let item = app.equipment("HP LaserJet 400", "printers").await;
    let starts = chrono::Utc::now().date_naive() + Days::new(20);
    let (status, schedule) = app
        .call(
            Method::POST,
            "/api/v1/maintenance-schedules/",
            Some(&admin),
            Some(json!({"title": "Чистка", "equipment_id": item, "every": 1, "unit": "weeks",
                "starts_on": starts.to_string(), "lead_days": 3, "checklist": ["Продуть", " ", "Проверить ролик"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{schedule}");
    assert_eq!(schedule["checklist"], json!(["Продуть", "Проверить ролик"]));
    app.jobs_settled().await;
    let other = second_instance(&app).await;
    assert_eq!(sweep_both(&app.service, &other).await, 0, "20 days ahead");
    assert!(tickets_of(&app, item, &admin).await.is_empty());

    // Three days before the date, both instances sweep at once: one ticket.
    for s in [&app.service, &other] {
        s.advance_clock(Duration::days(17));
    }
    assert_eq!(sweep_both(&app.service, &other).await, 1);
    assert_eq!(sweep_both(&app.service, &other).await, 0, "nothing twice");
    let opened = tickets_of(&app, item, &admin).await;
    assert_eq!(opened.len(), 1);
    let t = &opened[0];
    assert!(
        t["title"].as_str().unwrap().starts_with("ТО: Чистка"),
        "{t}"
    );
    assert!(
        t["description"]
            .as_str()
            .unwrap()
            .contains("☐ Проверить ролик"),
        "{t}"
    );
    assert_eq!(t["category_id"], printers);
    assert_eq!(t["priority"], "low");
    let (_, due) = app
        .call(
            Method::GET,
            "/api/v1/equipment/due-for-service?days=7",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(due[0]["next_due"], starts.to_string(), "{due}");
    assert_eq!(due[0]["open_ticket_id"], t["id"]);

    // Closing it records the maintenance; the next due date is a week on.
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/tickets/{}", t["id"]),
            Some(&agent.token),
            Some(json!({"status": "closed", "resolution": "Продули, ролик в порядке"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, history) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{item}/history"),
            Some(&admin),
            None,
        )
        .await;
    let record = &history[0];
    assert_eq!(record["maintenance_type"], "maintenance", "{history}");
    assert!(
        record["description"].as_str().unwrap().contains("Чистка"),
        "{record}"
    );
    assert!(
        record["description"]
            .as_str()
            .unwrap()
            .contains("ролик в порядке"),
        "{record}"
    );
    let (_, due) = app
        .call(
            Method::GET,
            "/api/v1/equipment/due-for-service?days=30",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        due[0]["next_due"],
        (starts + Days::new(7)).to_string(),
        "{due}"
    );
    assert_eq!(due[0]["open_ticket_id"], Value::Null);

    // A month down (no sweep ran): one ticket for the latest date, not one per missed week.
    for s in [&app.service, &other] {
        s.advance_clock(Duration::days(30));
    }
    assert_eq!(sweep_both(&app.service, &other).await, 1);
    assert_eq!(sweep_both(&app.service, &other).await, 0);
    assert_eq!(tickets_of(&app, item, &admin).await.len(), 2);
}

#[tokio::test]
async fn a_category_schedule_covers_its_items_and_only_admins_keep_schedules() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("agent1", "agent").await;
    let user = app.user("user1", "user").await;
    let projectors = app.category("Projectors").await;
    let a = app.equipment("Epson EB-X41", "Projectors").await;
    let b = app.equipment("BenQ MX550", "Projectors").await;
    let today = chrono::Utc::now().date_naive();
    let body = json!({"title": "Лампы", "category_id": projectors, "every": 3, "unit": "months",
        "starts_on": today.to_string()});
    for (token, want) in [
        (&user.token, StatusCode::FORBIDDEN),
        (&agent.token, StatusCode::FORBIDDEN),
        (&admin, StatusCode::CREATED),
    ] {
        let (status, answer) = app
            .call(
                Method::POST,
                "/api/v1/maintenance-schedules/",
                Some(token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, want, "{answer}");
    }
    // Bad schedules are refused with the field at fault.
    for (bad, field) in [
        (
            json!({"title": "x", "every": 1, "unit": "days", "starts_on": today.to_string()}),
            "equipment_id",
        ),
        (
            json!({"title": "x", "category_id": projectors, "every": 0, "unit": "days", "starts_on": today.to_string()}),
            "every",
        ),
        (
            json!({"title": "x", "category_id": projectors, "every": 1, "unit": "fortnights", "starts_on": today.to_string()}),
            "unit",
        ),
        (
            json!({"title": "x", "category_id": projectors, "every": 1, "unit": "days", "starts_on": "31.12.2026"}),
            "starts_on",
        ),
    ] {
        let (status, answer) = app
            .call(
                Method::POST,
                "/api/v1/maintenance-schedules/",
                Some(&admin),
                Some(bad),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["detail"][0]["loc"][1], field, "{answer}");
    }
    // Due today: the creation's own sweep opens one ticket per item of the category.
    app.jobs_settled().await;
    for item in [a, b] {
        assert_eq!(tickets_of(&app, item, &admin).await.len(), 1, "item {item}");
    }
    let (status, list) = app
        .call(
            Method::GET,
            "/api/v1/maintenance-schedules/",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, _) = app
        .call(
            Method::GET,
            "/api/v1/maintenance-schedules/",
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let id = list[0]["id"].as_i64().unwrap();
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/v1/maintenance-schedules/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let audited = app
        .count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'maintenance_schedule'")
        .await;
    assert_eq!(audited, 2, "created and deleted");
}

#[tokio::test]
async fn a_schedule_on_dates_of_the_year_opens_its_ticket_ahead_of_each() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    app.category("Heating").await;
    let boiler = app.equipment("Boiler", "Heating").await;
    let today = chrono::Utc::now().date_naive();
    // Two dates a year: 20 and 200 days from now (as month-day), with a week's lead.
    let first = today + Days::new(20);
    let second = today + Days::new(200);
    let dates = [first, second].map(|d| d.format("%m-%d").to_string());
    let (status, s) = app
        .call(
            Method::POST,
            "/api/v1/maintenance-schedules/",
            Some(&admin),
            Some(
                json!({"title": "Проверка котла", "equipment_id": boiler, "unit": "dates",
                "dates": dates, "starts_on": today.to_string(), "lead_days": 7}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    assert_eq!(s["unit"], "dates");
    let (status, bad) = app
        .call(
            Method::POST,
            "/api/v1/maintenance-schedules/",
            Some(&admin),
            Some(
                json!({"title": "x", "equipment_id": boiler, "unit": "dates", "dates": ["02-29"],
                "starts_on": today.to_string()}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["detail"][0]["loc"][1], "dates");
    app.jobs_settled().await;
    let sweep = || app.service.operator().maintenance_sweep();
    assert_eq!(sweep().await.unwrap(), 0, "20 days ahead, 7 days' lead");
    app.service.advance_clock(Duration::days(13));
    assert_eq!(sweep().await.unwrap(), 1, "a week before the first date");
    let (_, due) = app
        .call(
            Method::GET,
            "/api/v1/equipment/due-for-service?days=30",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(due[0]["next_due"], first.to_string(), "{due}");
}
