//! The web interface over plain HTTP: which role may open which page, and how forms are
//! guarded (CSRF, origin, size). The browser journeys live in `tests/browser`.

use std::time::Duration;

use fixdesk_tests::{TestApp, ends_within, location, set_cookie};
use reqwest::{Method, StatusCode, header};
use serde_json::json;

fn page(app: &TestApp, method: Method, path: &str, token: &str) -> reqwest::RequestBuilder {
    app.page(method, path, token)
}

async fn get(app: &TestApp, path: &str, token: &str) -> (StatusCode, String) {
    let r = page(app, Method::GET, path, token).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The CSRF token a page's forms carry.
fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    html[at + 19..at + 19 + 64].to_string()
}

#[tokio::test]
async fn each_role_opens_its_pages_and_is_refused_the_rest() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    let admin = app.admin_token().await;
    let ticket = app.ticket(&user.token, "Сломан стул").await;
    let equipment = app.equipment("Dell P2419", "Мониторы").await;
    let t = ticket["id"].as_i64().unwrap();
    let everyone = [
        "/ui/tickets".to_string(),
        "/ui/tickets?view=queue&status=new&q=%D1%81%D1%82%D1%83%D0%BB".to_string(),
        "/ui/tickets/new".to_string(),
        format!("/ui/tickets/{t}"),
        "/ui/equipment".to_string(),
        format!("/ui/equipment/{equipment}"),
        "/ui/notifications".to_string(),
        "/ui/account".to_string(),
    ];
    let staff = [
        "/ui/equipment/new".to_string(),
        format!("/ui/equipment/{equipment}/edit"),
        "/ui/canned".to_string(),
    ];
    let admins = [
        "/ui/users".to_string(),
        "/ui/users/new".to_string(),
        format!("/ui/users/{}", user.id),
        "/ui/categories".to_string(),
        "/ui/audit".to_string(),
        "/ui/audit?action=CREATE&entity=ticket&from=2020-01-01&to=2100-01-01".to_string(),
        "/ui/stats".to_string(),
    ];
    for (token, role) in [
        (&user.token, "user"),
        (&agent.token, "agent"),
        (&admin, "admin"),
    ] {
        for path in &everyone {
            let (status, _) = get(&app, path, token).await;
            assert_eq!(status, StatusCode::OK, "{role} {path}");
        }
        for path in &staff {
            let expected = if role == "user" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            assert_eq!(get(&app, path, token).await.0, expected, "{role} {path}");
        }
        for path in &admins {
            let (status, body) = get(&app, path, token).await;
            if role == "admin" {
                assert_eq!(status, StatusCode::OK, "{role} {path}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} {path}");
                assert!(
                    body.contains("Only administrators"),
                    "{role} {path}: {body}"
                );
            }
        }
    }
    // Another user's ticket is not theirs to see.
    let other = app.user("user2", "user").await;
    let (status, body) = get(&app, &format!("/ui/tickets/{t}"), &other.token).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(!body.contains("Сломан стул"));
    // Pages that do not exist, and malformed filters, are clear 4xx pages.
    assert_eq!(
        get(&app, "/ui/tickets/999999", &admin).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/ui/nowhere", &admin).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/ui/tickets?status=lost", &admin).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/ui/audit?from=yesterday", &admin).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn without_a_session_pages_send_the_browser_to_sign_in() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .get(app.url("/ui/tickets?status=new"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&r),
        "/ui/login?next=%2Fui%2Ftickets%3Fstatus%3Dnew"
    );
    // A forged or revoked cookie is an ended session.
    let r = page(&app, Method::GET, "/ui/tickets", "forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).ends_with("expired=1"), "{}", location(&r));
    // A form sent without a session comes back to the page it was on, its text kept.
    let r = app
        .client
        .post(app.url("/ui/tickets/5/messages"))
        .header(header::REFERER, app.url("/ui/tickets/5"))
        .form(&[("csrf", "x"), ("message", "hello")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/ui/login?next=%2Fui%2Ftickets%2F5&kept=1");
    // Browsers asking for `/` get the interface; scripts keep the contract's JSON.
    let r = app
        .client
        .get(app.url("/"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/ui/");
    let r = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Добро пожаловать"));
}

#[tokio::test]
async fn sign_in_sets_a_guarded_cookie_and_sign_out_ends_the_session() {
    let app = TestApp::spawn().await;
    app.user("user1", "user").await;
    let r = app.client.get(app.url("/ui/login")).send().await.unwrap();
    let pre = set_cookie(&r, "fixdesk_pre").expect("a pre-session cookie");
    let pre = pre.split(';').next().unwrap().to_string();
    let csrf = csrf_of(&r.text().await.unwrap());
    let login = |csrf: String| {
        app.client
            .post(app.url("/ui/login"))
            .header(header::COOKIE, pre.clone())
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "user1"),
                ("password", fixdesk_tests::USER_PASSWORD),
                ("next", "/ui/notifications"),
            ])
    };
    // Without the page's token the sign-in is refused: no login CSRF.
    let refused = login("0".repeat(64)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let r = login(csrf).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/ui/notifications");
    let cookie = set_cookie(&r, "fixdesk_session").expect("a session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/ui", "Max-Age="] {
        assert!(cookie.contains(flag), "{flag} missing in {cookie}");
    }
    // Development serves plain HTTP; everywhere else the cookie is HTTPS-only.
    assert!(!cookie.contains("Secure"), "{cookie}");
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("fixdesk_session=")
        .to_string();
    // The cookie's token is a real session: the API accepts it too.
    let (status, me) = app
        .call(Method::GET, "/api/v1/users/me", Some(&token), None)
        .await;
    assert_eq!(
        (status, me["username"].clone()),
        (StatusCode::OK, json!("user1"))
    );
    let (_, html) = get(&app, "/ui/tickets", &token).await;
    let r = page(&app, Method::POST, "/ui/logout", &token)
        .form(&[("csrf", csrf_of(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = app
        .call(Method::GET, "/api/v1/users/me", Some(&token), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "signing out revokes the session"
    );
}

#[tokio::test]
async fn forms_without_the_token_from_elsewhere_or_too_large_are_refused() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    let ticket = app.ticket(&user.token, "Не работает мышь").await;
    let t = ticket["id"].as_i64().unwrap();
    let path = format!("/ui/tickets/{t}/messages");
    let (_, html) = get(&app, &format!("/ui/tickets/{t}"), &user.token).await;
    let csrf = csrf_of(&html);
    let count = format!("SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = {t}");
    let messages = || app.count(&count);
    // No token, a wrong token, another session's token.
    let other = app.token("user1", fixdesk_tests::USER_PASSWORD).await;
    let (_, other_html) = get(&app, "/ui/tickets", &other).await;
    for token in ["", "f00d", csrf_of(&other_html).as_str()] {
        let r = page(&app, Method::POST, &path, &user.token)
            .form(&[("csrf", token), ("message", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "token {token:?}");
    }
    // The right token, but sent from another site.
    let r = page(&app, Method::POST, &path, &user.token)
        .header(header::ORIGIN, "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("message", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Far more than any form needs.
    let huge = "x".repeat(300 * 1024);
    let r = page(&app, Method::POST, &path, &user.token)
        .form(&[("csrf", csrf.as_str()), ("message", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(messages().await, 0);
    // The genuine form works, and says so on the next page.
    let r = page(&app, Method::POST, &path, &user.token)
        .header(header::ORIGIN, app.base.clone())
        .form(&[("csrf", csrf.as_str()), ("message", "Мышь не двигается")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(messages().await, 1);
}

#[tokio::test]
async fn a_refused_change_is_explained_on_the_page_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    let ticket = app.ticket(&user.token, "Не работает сканер").await;
    let t = ticket["id"].as_i64().unwrap();
    let (_, html) = get(&app, &format!("/ui/tickets/{t}"), &user.token).await;
    // A user may not set the status of their ticket (only close it).
    let r = page(
        &app,
        Method::POST,
        &format!("/ui/tickets/{t}/status"),
        &user.token,
    )
    .form(&[("csrf", csrf_of(&html).as_str()), ("status", "in_progress")])
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/ui/tickets/{t}"));
    let flash = set_cookie(&r, "fixdesk_flash")
        .expect("the reason travels to the next page")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let shown = app
        .client
        .get(app.url(&format!("/ui/tickets/{t}")))
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(
            header::COOKIE,
            format!("fixdesk_session={}; {flash}", user.token),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        shown.contains("Only agents and administrators may do this"),
        "{shown}"
    );
    let status = app
        .sql(&format!("SELECT status FROM tickets WHERE id = {t}"))
        .await;
    assert_eq!(status, vec![json!(0)], "still new");
}

#[tokio::test]
async fn an_export_started_from_the_list_downloads_its_rows() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    for title in ["Принтер", "Сканер", "Проектор"] {
        app.ticket(&user.token, title).await;
    }
    let admin = app.admin_token().await;
    let (_, html) = get(&app, "/ui/tickets", &admin).await;
    let r = page(&app, Method::POST, "/ui/tickets/export", &admin)
        .form(&[("csrf", csrf_of(&html).as_str()), ("q", "принтер")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let export = location(&r);
    assert!(export.starts_with("/ui/exports/"), "{export}");
    let mut done = false;
    for _ in 0..100 {
        let (status, body) = get(&app, &export, &admin).await;
        assert_eq!(status, StatusCode::OK);
        if body.contains("id=\"export-download\"") {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done, "the export finished");
    let (status, csv) = get(&app, &format!("{export}/download"), &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(csv.lines().count(), 2, "a header and the one match: {csv}");
    assert!(csv.contains("Принтер"));
    // Someone else's export is not theirs to read.
    assert_eq!(
        get(&app, &format!("{export}/download"), &user.token)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn only_an_admin_queues_a_recount_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    let admin = app.admin_token().await;
    let rebuilds = "SELECT COUNT(*) FROM jobs WHERE kind = 'stats_rebuild'";
    let (_, html) = get(&app, "/ui/tickets", &user.token).await;
    let r = page(&app, Method::POST, "/ui/stats/rebuild", &user.token)
        .form(&[("csrf", csrf_of(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count(rebuilds).await, 0);
    let (_, html) = get(&app, "/ui/stats", &admin).await;
    let r = page(&app, Method::POST, "/ui/stats/rebuild", &admin)
        .form(&[("csrf", csrf_of(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/ui/stats");
    assert_eq!(app.count(rebuilds).await, 1);
}

#[tokio::test]
async fn a_visitor_chooses_which_notifications_to_receive() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent1", "agent").await;
    let user = app.user("user1", "user").await;
    let (_, html) = get(&app, "/ui/notifications", &agent.token).await;
    assert!(
        html.contains("name=\"ticket_created\" checked"),
        "on by default"
    );
    // Everything but new tickets stays on.
    let r = page(
        &app,
        Method::POST,
        "/ui/notifications/settings",
        &agent.token,
    )
    .form(&[
        ("csrf", csrf_of(&html).as_str()),
        ("ticket_assigned", "on"),
        ("ticket_updated", "on"),
        ("ticket_completed", "on"),
        ("ticket_message", "on"),
        ("system", "on"),
    ])
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(&app, "/ui/notifications", &agent.token).await;
    assert!(html.contains("name=\"ticket_created\">"), "now off");
    assert!(html.contains("name=\"ticket_message\" checked"));
    app.ticket(&user.token, "Не работает проектор").await;
    app.jobs_settled().await;
    let told = app
        .count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE user_id = {}",
            agent.id
        ))
        .await;
    assert_eq!(told, 0, "the agent switched new tickets off");
    // Without the form's token nothing changes.
    let r = page(
        &app,
        Method::POST,
        "/ui/notifications/settings",
        &agent.token,
    )
    .form(&[("csrf", "forged"), ("ticket_created", "on")])
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = get(&app, "/ui/notifications", &agent.token).await;
    assert!(html.contains("name=\"ticket_created\">"));
}

#[tokio::test]
async fn the_pages_live_updates_end_with_the_session() {
    let app = TestApp::spawn().await;
    let user = app.user("user1", "user").await;
    let other = app.user("user2", "user").await;
    let theirs = app.ticket(&other.token, "Чужая заявка").await["id"]
        .as_i64()
        .unwrap();
    let mine = app.ticket(&user.token, "Моя заявка").await["id"]
        .as_i64()
        .unwrap();
    // Following someone else's ticket is refused like reading it.
    let refused = page(
        &app,
        Method::GET,
        &format!("/ui/events?ticket={theirs}"),
        &user.token,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let mut streams = Vec::new();
    for path in [
        "/ui/events".to_string(),
        format!("/ui/events?ticket={mine}"),
    ] {
        let events = page(&app, Method::GET, &path, &user.token)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .unwrap();
        assert_eq!(events.status(), StatusCode::OK, "{path}");
        streams.push(events);
    }
    for events in &mut streams {
        assert!(!ends_within(events, Duration::from_millis(300)).await);
    }
    app.status(Method::POST, "/api/v1/auth/logout", Some(&user.token), None)
        .await;
    for events in &mut streams {
        assert!(
            ends_within(events, Duration::from_secs(2)).await,
            "signed out elsewhere"
        );
    }
}

#[tokio::test]
async fn an_items_page_keeps_its_schedules_and_records_costs() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("agent1", "agent").await;
    app.category("Printers").await;
    let item = app.equipment("HP 400", "Printers").await;
    let path = format!("/ui/equipment/{item}");
    let (_, html) = get(&app, &path, &admin).await;
    assert!(html.contains("id=\"no-schedules\""), "{html}");
    let csrf = csrf_of(&html);
    // A quarterly cleaning of the whole category, a week ahead.
    let r = page(&app, Method::POST, &format!("{path}/schedules"), &admin)
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Чистка"),
            ("every", "3"),
            ("unit", "months"),
            ("starts_on", "2027-01-15"),
            ("lead_days", "7"),
            ("checklist", "Продуть\nПроверить ролик"),
            ("scope", "category"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, schedules) = app
        .call(
            Method::GET,
            "/api/v1/maintenance-schedules/",
            Some(&admin),
            None,
        )
        .await;
    let s = &schedules[0];
    assert_eq!(
        (s["every"].clone(), s["unit"].clone()),
        (json!(3), json!("months"))
    );
    assert!(
        s["equipment_id"].is_null() && !s["category_id"].is_null(),
        "{s}"
    );
    assert_eq!(s["checklist"], json!(["Продуть", "Проверить ролик"]));
    let (_, html) = get(&app, &path, &agent.token).await;
    assert!(html.contains("2027-01-15"), "the next due date shows");
    assert!(
        !html.contains("id=\"new-schedule\""),
        "agents do not add schedules"
    );
    // An agent records a repair with parts, cost and downtime; a bad cost is refused.
    let csrf = csrf_of(&html);
    for (cost, want) in [("12.345", "refused"), ("1250,50", "kept")] {
        let r = page(
            &app,
            Method::POST,
            &format!("{path}/maintenance"),
            &agent.token,
        )
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "repair"),
            ("description", "Замена ролика"),
            ("parts", "Ролик подачи"),
            ("cost", cost),
            ("currency", "rub"),
            ("downtime_minutes", "45"),
        ])
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{want}");
    }
    let (_, history) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{item}/history"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    assert_eq!(history[0]["cost"], "1250.50");
    assert_eq!(history[0]["currency"], "RUB");
    assert_eq!(history[0]["downtime_minutes"], 45);
    let (_, html) = get(&app, &path, &agent.token).await;
    assert!(
        html.contains("Ролик подачи · 1250.50 RUB · 45 min"),
        "{html}"
    );
}

#[tokio::test]
async fn the_search_page_shows_what_each_role_may_find_highlighted() {
    let app = TestApp::spawn().await;
    let user = app.user("web_fts_user", "user").await;
    let other = app.user("web_fts_other", "user").await;
    let agent = app.user("web_fts_agent", "agent").await;
    let mine = app.ticket(&user.token, "Сломался <проектор>").await["id"]
        .as_i64()
        .unwrap();
    let theirs = app.ticket(&other.token, "Проекторы в зале").await["id"]
        .as_i64()
        .unwrap();
    let (status, html) = get(
        &app,
        "/ui/search?q=%D0%BF%D1%80%D0%BE%D0%B5%D0%BA%D1%82%D0%BE%D1%80",
        &user.token,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("href=\"/ui/tickets/{mine}\"")),
        "{html}"
    );
    assert!(!html.contains(&format!("/ui/tickets/{theirs}\"")));
    // The title is text, the found word marked: nothing typed becomes markup.
    assert!(html.contains("&lt;<mark>проектор</mark>"), "{html}");
    let (_, html) = get(
        &app,
        "/ui/search?q=%D0%BF%D1%80%D0%BE%D0%B5%D0%BA%D1%82%D0%BE%D1%80",
        &agent.token,
    )
    .await;
    assert!(html.contains(&format!("/ui/tickets/{theirs}\"")));
    assert!(html.contains(&format!("/ui/tickets/{mine}\"")));
    // An empty box asks for words instead of listing everything.
    let (status, html) = get(&app, "/ui/search?q=", &user.token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("id=\"search-hits\""));
    // Every page carries the search box.
    let (_, html) = get(&app, "/ui/tickets", &user.token).await;
    assert!(html.contains("action=\"/ui/search\""));
}

#[tokio::test]
async fn the_audit_log_speaks_the_readers_language() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let agent = app.user("tech", "agent").await;
    let id = app.ticket(&u.token, "Нет звука").await["id"]
        .as_i64()
        .unwrap();
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/tickets/{id}"),
            Some(&agent.token),
            Some(json!({"priority": "high", "room_number": "305"})),
        )
        .await;
    assert!(status.is_success());
    let admin = app.admin_token().await;
    let (status, page) = get(
        &app,
        &format!("/ui/audit?entity=ticket&entity_id={id}"),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The change worded from what it did, not the Russian sentence stored with it.
    assert!(page.contains("Priority: High"), "{page}");
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/assign"),
            Some(&agent.token),
            None,
        )
        .await;
    assert!(status.is_success());
    let (_, page) = get(
        &app,
        &format!("/ui/audit?entity=ticket&entity_id={id}"),
        &admin,
    )
    .await;
    assert!(
        page.contains("Assignee: tech full"),
        "the assignee named: {page}"
    );
    assert!(page.contains("Edited: Room"), "{page}");
    assert!(!page.contains("Изменена заявка"), "{page}");
    assert!(!page.contains("room_number"), "{page}");
}

#[tokio::test]
async fn the_equipment_filters_offer_what_the_desk_holds() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, empty) = get(&app, "/ui/equipment", &admin).await;
    assert!(!empty.contains("kind-filter"), "nothing to filter by yet");
    assert!(!empty.contains("Офис 101") && !empty.contains(">computer<"));
    app.equipment("Epson EB-X41", "Проекторы").await;
    let (_, page) = get(&app, "/ui/equipment", &admin).await;
    let at = page.find("id=\"kind-filter\"").expect("a type filter");
    let filter = &page[at..at + page[at..].find("</select>").unwrap()];
    assert!(filter.contains("Проекторы"), "{filter}");
    assert!(
        !filter.contains("printer") && !filter.contains("computer"),
        "{filter}"
    );
    let at = page
        .find("id=\"location-filter\"")
        .expect("a location filter");
    let filter = &page[at..at + page[at..].find("</select>").unwrap()];
    assert!(
        filter.contains("Каб. 12") && !filter.contains("Офис 101"),
        "{filter}"
    );
}

#[tokio::test]
async fn the_audit_log_downloads_as_csv_page_by_page() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    // More rows than one page of the export, written straight into the log.
    app.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) \
         INSERT INTO audit_logs (action_type, description, entity_type, entity_id, created_at, prev_hash, hash) \
         SELECT 'UPDATE', 'bulk ' || i, 'equipment', i, '2026-01-01 00:00:00', '', '' FROM n",
    )
    .await;
    let admin = app.admin_token().await;
    let r = page(
        &app,
        Method::GET,
        "/ui/audit/export.csv?entity=equipment",
        &admin,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(fixdesk_tests::header(&r, "content-type").starts_with("text/csv"));
    assert!(fixdesk_tests::header(&r, "content-disposition").contains("audit-"));
    let text = r.text().await.unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("id,created_at,action_type"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 1 + 1200, "every matching row, none twice");
    assert!(lines[1].contains("bulk 1,") && lines[1200].contains("bulk 1200,"));
    // Not for anyone else.
    let r = page(&app, Method::GET, "/ui/audit/export.csv", &u.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn labels_are_printed_for_the_items_ticked_on_the_list() {
    let app = TestApp::spawn().await;
    let agent = app.user("tech", "agent").await;
    let a = app.equipment("Epson EB-X41", "Проекторы").await;
    app.equipment("HP LaserJet", "Принтеры").await;
    let c = app.equipment("Dell P2419", "Мониторы").await;
    let (_, list) = get(&app, "/ui/equipment", &agent.token).await;
    assert!(list.contains(&format!(
        "name=\"pick\" value=\"{a}\" form=\"label-picker\""
    )));
    let (status, sheet) = get(
        &app,
        &format!("/ui/equipment/labels?pick={a}&pick={c}"),
        &agent.token,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(sheet.contains("Epson EB-X41") && sheet.contains("Dell P2419"));
    assert!(!sheet.contains("HP LaserJet"), "only the ticked items");
    let (status, _) = get(&app, "/ui/equipment/labels?pick=x", &agent.token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
