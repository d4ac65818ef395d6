//! The equipment repair loop: items belong to categories by id (surviving a rename, found by
//! name ignoring case, linked when a category appears), an item's status follows its tickets,
//! equipment search and filters, and asset labels whose QR code opens the new-ticket form
//! about the item.

use fixdesk_tests::{TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn item(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, e) = app
        .call(Method::POST, "/api/v1/equipment/", Some(token), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    e
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn equipment_keeps_its_category_through_a_rename() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let printers = app.category("Printer").await;
    // The old frontend names the type in lower case: the category is found all the same, and
    // the type is spelt as the category is.
    let laser = item(&app, &admin, json!({"name": "HP 400", "type": "printer"})).await;
    assert_eq!(laser["category_id"], printers);
    assert_eq!(laser["type"], "Printer");
    // A new client chooses by id.
    let inkjet = item(
        &app,
        &admin,
        json!({"name": "Epson L3150", "category_id": printers}),
    )
    .await;
    assert_eq!(inkjet["type"], "Printer");
    // A type no category names is kept as text, in no category.
    let odd = item(&app, &admin, json!({"name": "Шредер", "type": "shredder"})).await;
    assert_eq!(odd["category_id"], Value::Null);
    assert_eq!(odd["type"], "shredder");

    let (status, renamed) = app
        .call(
            Method::PUT,
            &format!("/api/v1/categories/{printers}"),
            Some(&admin),
            Some(json!({"name": "Принтеры и МФУ"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    for path in [
        format!("/api/v1/equipment/?category_id={printers}"),
        format!("/api/v1/equipment/debug/by-category/{printers}"),
    ] {
        let (_, list) = app.call(Method::GET, &path, Some(&admin), None).await;
        assert_eq!(
            ids(&list),
            vec![
                laser["id"].as_i64().unwrap(),
                inkjet["id"].as_i64().unwrap()
            ],
            "{path}"
        );
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|e| e["type"] == "Принтеры и МФУ"),
            "{list}"
        );
    }
    // A category appearing later takes the items its name was waiting for.
    let shredders = app.category("Shredder").await;
    let (_, odd) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{}", odd["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(odd["category_id"], shredders);
    // Deleting a category (no tickets in it) leaves its items in none, their type kept.
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/v1/categories/{shredders}"),
            Some(&admin),
            None,
        )
        .await;
    assert!(status.is_success());
    let (_, odd) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{}", odd["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(odd["category_id"], Value::Null);
    assert_eq!(odd["type"], "Shredder");
}

#[tokio::test]
async fn an_items_status_follows_its_tickets_and_each_change_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let user = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    let projector = app.equipment("Epson EB-X41", "Проекторы").await;
    let file = |title: &'static str| {
        let (app, token) = (&app, user.token.clone());
        async move {
            let (status, t) = app
                .call(
                    Method::POST,
                    "/api/v1/tickets/",
                    Some(&token),
                    Some(json!({"title": title, "description": "Не включается", "room_number": "12", "equipment_id": projector})),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{t}");
            t["id"].as_i64().unwrap()
        }
    };
    let status_of = || async {
        let (_, e) = app
            .call(
                Method::GET,
                &format!("/api/v1/equipment/{projector}"),
                Some(&admin),
                None,
            )
            .await;
        e["status"].as_str().unwrap().to_string()
    };
    let close = |id: i64| {
        let (app, token) = (&app, agent.token.clone());
        async move {
            let (status, body) = app
                .call(
                    Method::PUT,
                    &format!("/api/v1/tickets/{id}"),
                    Some(&token),
                    Some(json!({"status": "closed", "resolution": "Заменена лампа"})),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    };
    assert_eq!(status_of().await, "active");
    let first = file("Не включается").await;
    assert_eq!(status_of().await, "repair");
    let second = file("Мигает").await;
    close(first).await;
    assert_eq!(status_of().await, "repair", "one ticket is still open");
    close(second).await;
    assert_eq!(status_of().await, "active", "the last one closed");
    // Each move is in the audit log, as a change of the item.
    let moves = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'equipment' AND entity_id = {projector} AND action_type = 'UPDATE'"
        ))
        .await;
    assert_eq!(moves, 2);
    // Reopening puts it back in repair; a decommissioned item stays decommissioned.
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/tickets/{second}/status/in_progress"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(status_of().await, "repair");
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/equipment/{projector}"),
            Some(&admin),
            Some(json!({"status": "decommissioned"})),
        )
        .await;
    assert!(status.is_success());
    file("Снова").await;
    close(second).await;
    assert_eq!(status_of().await, "decommissioned");
}

#[tokio::test]
async fn equipment_is_found_by_any_number_and_by_open_tickets() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let user = app.user("user1", "user").await;
    let a = item(&app, &admin, json!({"name": "Canon MF3010", "type": "printer", "inventory_number": "INV-0042", "serial_number": "KX9_77", "location": "Каб. 12"})).await;
    let b = item(&app, &admin, json!({"name": "Dell P2419", "type": "monitor", "inventory_number": "INV-0107", "model": "P2419H", "location": "Библиотека"})).await;
    let list = |query: &'static str| {
        let (app, token) = (&app, admin.clone());
        async move {
            let (status, v) = app
                .call(
                    Method::GET,
                    &format!("/api/v1/equipment/?{query}"),
                    Some(&token),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{v}");
            ids(&v)
        }
    };
    let (a, b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
    assert_eq!(list("search=inv-0").await, vec![a, b]);
    assert_eq!(list("search=0042").await, vec![a]);
    assert_eq!(list("search=p2419h").await, vec![b], "model, any case");
    assert_eq!(
        list("search=%D0%B1%D0%B8%D0%B1%D0%BB").await,
        vec![b],
        "room, in Russian"
    );
    assert_eq!(
        list("search=kx9_7").await,
        vec![a],
        "an underscore matches itself"
    );
    assert_eq!(
        list("search=kx9%257").await,
        Vec::<i64>::new(),
        "so does a percent sign"
    );
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(json!({"title": "Замятие", "description": "Бумага", "room_number": "12", "equipment_id": b})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(list("has_open_tickets=true").await, vec![b]);
    assert_eq!(list("has_open_tickets=false").await, vec![a]);
    assert_eq!(
        list("has_open_tickets=true&search=canon").await,
        Vec::<i64>::new()
    );
}

/// The QR code drawn in a label's SVG as a grid of dark modules.
fn qr_modules(svg: &str) -> (usize, Vec<(usize, usize)>) {
    let size_at = svg.find("viewBox=\"0 0 ").expect("the code's box") + 13;
    let rest = &svg[size_at..];
    let size: usize = rest[..rest.find(' ').unwrap()].parse().unwrap();
    let d_at = svg.find("<path d=\"").expect("the code's path") + 9;
    let d = &svg[d_at..d_at + svg[d_at..].find('"').unwrap()];
    let modules = d
        .split('M')
        .filter(|m| !m.is_empty())
        .map(|m| {
            let xy = m.trim_end_matches("h1v1h-1z");
            let (x, y) = xy.split_once(',').expect("x,y");
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    (size, modules)
}

/// Reads a QR code as a camera would: a greyscale picture, 8 pixels a module.
fn decode(size: usize, modules: &[(usize, usize)]) -> String {
    const SCALE: usize = 8;
    let dark: std::collections::HashSet<(usize, usize)> = modules.iter().copied().collect();
    let side = size * SCALE;
    let mut picture = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        if dark.contains(&(x / SCALE, y / SCALE)) {
            0
        } else {
            255
        }
    });
    let grids = picture.detect_grids();
    assert_eq!(grids.len(), 1, "one code on the label");
    grids[0].decode().expect("the code reads").1
}

#[tokio::test]
async fn a_labels_code_opens_the_ticket_form_about_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.public_url = "https://desk.school.example".into();
    let app = TestApp::spawn_with(settings, dir).await;
    let admin = app.admin_token().await;
    let user = app.user("user1", "user").await;
    let printers = app.category("Printers").await;
    let tagged = item(&app, &admin, json!({"name": "HP LaserJet 400", "category_id": printers, "inventory_number": "INV-0042", "location": "101"})).await;
    let untagged = item(
        &app,
        &admin,
        json!({"name": "Epson L3150", "category_id": printers}),
    )
    .await;
    let id = tagged["id"].as_i64().unwrap();

    let r = app
        .page(
            Method::GET,
            &format!("/ui/equipment/{id}/label.svg"),
            &admin,
        )
        // What a request claims of its host does not go onto a sticker.
        .header("Host", "evil.example")
        .header("X-Forwarded-Proto", "gopher")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
    let svg = r.text().await.unwrap();
    assert!(
        svg.contains(">INV-0042<"),
        "the tag is the inventory number"
    );
    let (size, modules) = qr_modules(&svg);
    let url = decode(size, &modules);
    assert_eq!(url, format!("https://desk.school.example/ui/r/{id}"));

    // Followed without a session, the address asks for sign-in and comes back to itself.
    let path = url.trim_start_matches("https://desk.school.example");
    let url = app.url(path);
    let r = app.client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/ui/login"), "{}", location(&r));
    assert!(
        location(&r).contains(&path.replace('/', "%2F")) || location(&r).contains(path),
        "{}",
        location(&r)
    );
    // Signed in, it opens the form with the item, its category and its room filled in.
    let r = app
        .page(Method::GET, path, &user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let form = location(&r);
    assert_eq!(form, format!("/ui/tickets/new?equipment={id}"));
    let html = app
        .page(Method::GET, &form, &user.token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!(
            "<option value=\"{id}\" data-search=\"hp laserjet 400 inv-0042 101\" selected>"
        )),
        "the item is chosen"
    );
    assert!(
        html.contains(&format!("<option value=\"{printers}\" selected>")),
        "its category is chosen"
    );
    assert!(
        html.contains("name=\"room_number\" required maxlength=\"20\" value=\"101\""),
        "its room is filled in"
    );

    // An item without an inventory number gets a tag made from its id; sheets hold both.
    let other = untagged["id"].as_i64().unwrap();
    let sheet = app
        .page(
            Method::GET,
            &format!("/ui/equipment/labels?ids={id},{other}"),
            &admin,
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(sheet.contains(">INV-0042<"));
    assert!(sheet.contains(&format!(">FD-{other:05}<")));
    assert_eq!(
        sheet.matches("<g transform=\"translate(").count(),
        3,
        "a sheet and two labels"
    );
    // Requesters do not print labels.
    let r = app
        .page(Method::GET, "/ui/equipment/labels", &user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Files a ticket about `item` as `token` and returns its id.
async fn failure(app: &TestApp, token: &str, item: i64) -> i64 {
    let (status, t) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(token),
            Some(json!({"title": "Сломалось", "description": "Не работает", "room_number": "12", "equipment_id": item})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    t["id"].as_i64().unwrap()
}

async fn close(app: &TestApp, token: &str, id: i64) {
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/tickets/{id}"),
            Some(token),
            Some(json!({"status": "closed", "resolution": "Починили"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn mtbf_and_mttr_come_out_as_counted_by_hand() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let user = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    app.category("Printers").await;
    let a = app.equipment("HP 400", "Printers").await;
    let b = app.equipment("Canon MF3010", "Printers").await;
    // A fails twice: repaired in 2 h, then (a day later) in 4 h. B fails once, still open.
    let first = failure(&app, &user.token, a).await;
    app.service.advance_clock(chrono::Duration::hours(2));
    close(&app, &agent.token, first).await;
    app.service.advance_clock(chrono::Duration::days(1));
    let second = failure(&app, &user.token, a).await;
    app.service.advance_clock(chrono::Duration::hours(4));
    close(&app, &agent.token, second).await;
    failure(&app, &user.token, b).await;
    // A's maintenance: 30 minutes down, 125.50 EUR.
    let (status, record) = app
        .call(
            Method::POST,
            &format!("/api/v1/equipment/{a}/maintenance"),
            Some(&agent.token),
            Some(json!({"maintenance_type": "repair", "description": "Ролик", "parts": "Ролик подачи",
                "cost": "125.50", "currency": "eur", "downtime_minutes": 30})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    assert_eq!(
        (record["cost"].clone(), record["currency"].clone()),
        (json!("125.50"), json!("EUR"))
    );
    // A cost is a decimal, never a float; a bad one is refused with its field.
    let (status, refused) = app
        .call(
            Method::POST,
            &format!("/api/v1/equipment/{a}/maintenance"),
            Some(&agent.token),
            Some(json!({"maintenance_type": "repair", "description": "x", "cost": "12.345", "currency": "EUR"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

    let (status, rows) = app
        .call(
            Method::GET,
            "/api/v1/equipment/reliability?by=item&days=30",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let (ra, rb) = (&rows[0], &rows[1]);
    assert_eq!(ra["key"], a.to_string(), "{rows}");
    assert_eq!(
        (ra["failures"].clone(), ra["repairs"].clone()),
        (json!(2), json!(2))
    );
    // In use: 30 days (43,200 min) less 360 min of repairs and 30 of maintenance, over 2
    // failures = 356.75 h.
    assert_eq!(ra["mtbf_hours"], 356.75);
    assert_eq!(ra["mttr_hours"], 3.0);
    assert_eq!(ra["downtime_hours"], 6.5);
    assert_eq!(
        ra["costs"],
        json!([{"amount": "125.50", "currency": "EUR"}])
    );
    assert_eq!(rb["key"], b.to_string());
    assert_eq!(
        (rb["failures"].clone(), rb["mttr_hours"].clone()),
        (json!(1), Value::Null)
    );
    assert_eq!(rb["mtbf_hours"], 720.0);
    // Summed over the category: 2 items, 3 failures.
    let (_, rows) = app
        .call(
            Method::GET,
            "/api/v1/equipment/reliability?by=category&days=30",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        (rows[0]["items"].clone(), rows[0]["failures"].clone()),
        (json!(2), json!(3)),
        "{rows}"
    );
    // Planned maintenance is not a failure.
    let today = chrono::Utc::now().date_naive();
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/maintenance-schedules/",
            Some(&admin),
            Some(json!({"title": "Чистка", "equipment_id": b, "every": 1, "unit": "months", "starts_on": today.to_string()})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.jobs_settled().await;
    let (_, rows) = app
        .call(
            Method::GET,
            "/api/v1/equipment/reliability?by=item&days=30&limit=5",
            Some(&agent.token),
            None,
        )
        .await;
    let rb = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"].as_str().and_then(|k| k.parse().ok()) == Some(b))
        .unwrap();
    assert_eq!(rb["failures"], 1, "{rows}");
    // Requesters do not see the numbers; a bad grouping is a 422 naming it.
    let (status, _) = app
        .call(
            Method::GET,
            "/api/v1/equipment/reliability",
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(
            Method::GET,
            "/api/v1/equipment/reliability?by=room",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.service
            .operator()
            .verify_statistics()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn equipment_counters_stay_exact_through_a_random_day_at_the_desk() {
    use rand::{Rng, SeedableRng, rngs::StdRng};
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let user = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    app.category("Printers").await;
    let items = [
        app.equipment("A", "Printers").await,
        app.equipment("B", "Printers").await,
        app.equipment("C", "Printers").await,
    ];
    let seed: u64 = rand::random();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut open: Vec<i64> = Vec::new();
    let mut closed: Vec<i64> = Vec::new();
    for _ in 0..60 {
        app.service
            .advance_clock(chrono::Duration::minutes(rng.random_range(1..600)));
        match rng.random_range(0..7) {
            0 | 1 => open.push(failure(&app, &user.token, items[rng.random_range(0..3)]).await),
            2 if !open.is_empty() => {
                let id = open.swap_remove(rng.random_range(0..open.len()));
                close(&app, &agent.token, id).await;
                closed.push(id);
            }
            3 if !closed.is_empty() => {
                let id = closed.swap_remove(rng.random_range(0..closed.len()));
                let path = format!("/api/v1/tickets/{id}/status/in_progress");
                let (status, _) = app.call(Method::PUT, &path, Some(&agent.token), None).await;
                assert_eq!(status, StatusCode::OK, "seed {seed}");
                open.push(id);
            }
            4 if !open.is_empty() => {
                let id = open[rng.random_range(0..open.len())];
                let (status, body) = app
                    .call(
                        Method::PUT,
                        &format!("/api/v1/tickets/{id}"),
                        Some(&agent.token),
                        Some(json!({"equipment_id": items[rng.random_range(0..3)]})),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "seed {seed}: {body}");
            }
            6 if !closed.is_empty() => {
                let id = closed[rng.random_range(0..closed.len())];
                let minutes = rng.random_range(0..2000);
                let (status, body) = app
                    .call(
                        Method::PUT,
                        &format!("/api/v1/tickets/{id}"),
                        Some(&agent.token),
                        Some(json!({"downtime_minutes": minutes})),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "seed {seed}: {body}");
            }
            5 if !closed.is_empty() => {
                let id = closed.swap_remove(rng.random_range(0..closed.len()));
                let path = format!("/api/v1/tickets/{id}");
                let (status, _) = app.call(Method::DELETE, &path, Some(&admin), None).await;
                assert!(status.is_success(), "seed {seed}");
            }
            _ => {}
        }
    }
    let differences = app.service.operator().verify_statistics().await.unwrap();
    assert!(differences.is_empty(), "seed {seed}: {differences:?}");
    // And each item's status says whether a ticket about it is open.
    for item in items {
        let (_, e) = app
            .call(
                Method::GET,
                &format!("/api/v1/equipment/{item}"),
                Some(&admin),
                None,
            )
            .await;
        let (_, tickets) = app
            .call(
                Method::GET,
                &format!("/api/v1/equipment/{item}/tickets"),
                Some(&admin),
                None,
            )
            .await;
        let any_open = tickets
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["status"] != "closed");
        assert_eq!(
            e["status"] == "repair",
            any_open,
            "seed {seed}: item {item}"
        );
    }
}

#[tokio::test]
async fn the_health_page_shows_the_numbers_and_downloads_them() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    app.category("Printers").await;
    let a = app.equipment("HP 400", "Printers").await;
    let id = failure(&app, &user.token, a).await;
    app.service.advance_clock(chrono::Duration::hours(3));
    close(&app, &agent.token, id).await;

    let page = |path: &'static str, token: String| {
        let app = &app;
        async move {
            let r = app.page(Method::GET, path, &token).send().await.unwrap();
            let status = r.status();
            let kind = r.headers()["content-type"].to_str().unwrap().to_string();
            (status, kind, r.bytes().await.unwrap())
        }
    };
    let (status, _, html) = page("/ui/equipment/health?by=item&days=30", agent.token.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(html.to_vec()).unwrap();
    assert!(
        html.contains(&format!("<a href=\"/ui/equipment/{a}\">HP 400 (FD-")),
        "{html}"
    );
    assert!(html.contains("<svg class=\"bars\""), "the chart is drawn");
    // MTBF: (30 × 24 − 3) h per failure; MTTR 3 h.
    assert!(
        html.contains("<td data-label=\"MTBF\">717.0</td>"),
        "{html}"
    );
    assert!(html.contains("<td data-label=\"MTTR\">3.0</td>"), "{html}");
    let (status, kind, csv) = page(
        "/ui/equipment/health.csv?by=category&days=30",
        agent.token.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"));
    let csv = String::from_utf8(csv.to_vec()).unwrap();
    assert!(csv.contains("\nPrinters,1,1,1,717.0,3.0,3.0,\n"), "{csv}");
    let (status, kind, xlsx) = page("/ui/equipment/health.xlsx", agent.token.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"));
    assert!(xlsx.starts_with(b"PK"));
    let (status, _, _) = page("/ui/equipment/health", user.token.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn staff_correct_a_repairs_downtime_and_the_numbers_follow() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    app.category("Printers").await;
    let a = app.equipment("HP 400", "Printers").await;
    let id = failure(&app, &user.token, a).await;
    app.service.advance_clock(chrono::Duration::hours(10));
    close(&app, &agent.token, id).await;
    let path = format!("/api/v1/tickets/{id}");
    // The printer was usable after half an hour (a spare was lent): 30 minutes, not 10 hours.
    let (status, _) = app
        .call(
            Method::PUT,
            &path,
            Some(&user.token),
            Some(json!({"downtime_minutes": 30})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "requesters do not correct downtime"
    );
    let (status, _) = app
        .call(
            Method::PUT,
            &path,
            Some(&agent.token),
            Some(json!({"downtime_minutes": -5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, t) = app
        .call(
            Method::PUT,
            &path,
            Some(&agent.token),
            Some(json!({"downtime_minutes": 30})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    assert_eq!(t["downtime_minutes"], 30);
    let (_, rows) = app
        .call(
            Method::GET,
            "/api/v1/equipment/reliability?days=30",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(rows[0]["downtime_hours"], 0.5, "{rows}");
    assert_eq!(rows[0]["mttr_hours"], 10.0, "the repair still took 10 h");
    assert!(
        app.service
            .operator()
            .verify_statistics()
            .await
            .unwrap()
            .is_empty()
    );
    // Cleared, it is filing to closing again.
    let (_, _) = app
        .call(
            Method::PUT,
            &path,
            Some(&agent.token),
            Some(json!({"downtime_minutes": null})),
        )
        .await;
    let (_, rows) = app
        .call(
            Method::GET,
            "/api/v1/equipment/reliability?days=30",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(rows[0]["downtime_hours"], 10.0, "{rows}");
}
