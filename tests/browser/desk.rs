//! The daily work of the desk in the browser: times in the visitor's zone, refusals that keep
//! what was typed, closing with a resolution and reopening, the agent's list, the bell, photos
//! and exports.

use fixdesk_tests::{ADMIN_PASSWORD, TestApp, USER_PASSWORD};
use reqwest::Method;
use serde_json::json;

use crate::harness::{Driver, Screen};

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The head of an iPhone photo: an ISO media file whose brand is `heic`.
const HEIC: &[u8] = &[
    0x00, 0x00, 0x00, 0x18, b'f', b't', b'y', b'p', b'h', b'e', b'i', b'c', 0x00, 0x00, 0x00, 0x00,
    b'm', b'i', b'f', b'1', b'h', b'e', b'i', b'c', 0x00, 0x00, 0x00, 0x08, b'm', b'e', b't', b'a',
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_are_in_the_visitors_zone_learnt_from_the_browser_and_kept_on_the_account() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    let id = app.ticket(&u.token, "Часы").await["id"].as_i64().unwrap();
    // Filed at 00:50 UTC: 10:50 in Vladivostok, 03:50 in Moscow.
    app.exec(&format!(
        "UPDATE tickets SET created_at = '2026-03-10 00:50:00' WHERE id = {id}"
    ))
    .await;
    let far_east = Driver::start_in_zone(Some("Asia/Vladivostok")).await;
    let b = far_east.browser(&app.base, "en").await;
    b.sign_in("user1", USER_PASSWORD).await;
    // The first page reports the browser's zone to the account.
    let learnt = format!(
        "SELECT time_zone FROM user_preferences WHERE user_id = {}",
        u.id
    );
    for _ in 0..50 {
        if app.sql(&learnt).await == vec![json!("Asia/Vladivostok")] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.sql(&learnt).await, vec![json!("Asia/Vladivostok")]);
    b.open(&format!("/ui/tickets/{id}")).await;
    b.wait_for_text("#facts", "2026-03-10 10:50").await;
    // Chosen on the account page, the zone follows the person to another browser.
    b.open("/ui/account").await;
    b.choose("#time_zone", "Europe/Moscow").await;
    b.click("#preferences button[type=submit]").await;
    b.wait_for_text("#flash", "Settings saved").await;
    b.close().await;
    drop(far_east);
    let driver = Driver::start_in_zone(Some("America/New_York")).await;
    let other = driver.browser(&app.base, "ru").await;
    other.sign_in("user1", USER_PASSWORD).await;
    other.open(&format!("/ui/tickets/{id}")).await;
    other.wait_for_text("#facts", "2026-03-10 03:50").await;
    let exact = other
        .js("return document.querySelector('#facts time').title")
        .await;
    assert_eq!(exact, json!("2026-03-10 03:50:00 MSK"));
    // A fresh message reads as minutes ago, in the visitor's language.
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&u.token),
            Some(json!({"message": "Ещё не работает"})),
        )
        .await;
    assert!(status.is_success());
    other.open(&format!("/ui/tickets/{id}")).await;
    // The language chosen on the account page (English) came along too.
    other.wait_for_text("#thread", "just now").await;
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_says_why_next_to_the_field_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    app.user("user1", "user").await;
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "ru").await;
    b.sign_in("user1", USER_PASSWORD).await;
    b.open("/ui/tickets/new").await;
    b.fill("#title", "Не печатает").await;
    b.fill("#description", "Мигает оранжевый").await;
    // A room of spaces passes the browser's `required`, and the server refuses it.
    b.fill("#room_number", "   ").await;
    b.click("#submit-ticket").await;
    b.wait_for_text("#room_number-error", "Заполните это поле")
        .await;
    assert_eq!(
        b.js("return [document.querySelector('#title').value, document.querySelector('#description').value, document.querySelector('#room_number').getAttribute('aria-invalid')]").await,
        json!(["Не печатает", "Мигает оранжевый", "true"])
    );
    assert!(!b.text("#form-error").await.contains("String should"));
    // A file that is not what its name says refuses the whole form: no ticket is filed.
    let files = tempfile::tempdir().unwrap();
    let fake = files.path().join("photo.heic");
    std::fs::write(&fake, b"<html>not a photo</html>").unwrap();
    b.fill("#room_number", "204").await;
    b.find("#attachments")
        .await
        .send_keys(&fake.display().to_string())
        .await
        .unwrap();
    b.click("#submit-ticket").await;
    b.wait_for_text("#attachments-error", "photo.heic").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
    assert_eq!(
        b.js("return document.querySelector('#title').value").await,
        json!("Не печатает")
    );
    // A phone's HEIC photo and a PNG are taken; the PNG shows as a thumbnail that opens in
    // the browser, the HEIC (which browsers cannot draw) is a download.
    let heic = files.path().join("IMG_0001.HEIC");
    std::fs::write(&heic, HEIC).unwrap();
    let png = files.path().join("jam.png");
    std::fs::write(&png, PNG).unwrap();
    let field = b.find("#attachments").await;
    field.clear().await.unwrap();
    field
        .send_keys(&format!("{}\n{}", heic.display(), png.display()))
        .await
        .unwrap();
    b.click("#submit-ticket").await;
    b.wait_for_text("#flash", "Заявка").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 2);
    let thumb = b.find("#attachments img").await;
    assert_eq!(thumb.attr("alt").await.unwrap().as_deref(), Some("jam.png"));
    let loaded = b
        .js("return document.querySelector('#attachments img').naturalWidth")
        .await;
    assert_eq!(loaded, json!(1), "the thumbnail is drawn");
    let heic_link = b
        .js("return [...document.querySelectorAll('#attachments a')].find(a => a.textContent.includes('IMG_0001')).hasAttribute('download')")
        .await;
    assert_eq!(heic_link, json!(true));
    // A password of spaces is refused next to its field, with the rules on the form.
    b.open("/ui/account").await;
    assert!(b.text("#password-rules").await.contains("8"));
    b.fill("#current", USER_PASSWORD).await;
    b.fill("#new-password", "        ").await;
    b.click("#password-form button[type=submit]").await;
    b.wait_for_text(".field-error", "пробелов").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_sent_after_the_session_ended_returns_with_its_text_after_signing_in() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    let id = app.ticket(&u.token, "Сканер").await["id"].as_i64().unwrap();
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("user1", USER_PASSWORD).await;
    b.open(&format!("/ui/tickets/{id}")).await;
    b.fill("#message", "A long explanation I do not want to type again")
        .await;
    // Signed out elsewhere: an admin deactivates and reactivates the account.
    app.end_sessions_of(u.id).await;
    b.click("#message-form button").await;
    b.wait_for_text("#session-ended", "What you typed is kept")
        .await;
    b.fill("#username", "user1").await;
    b.fill("#password", USER_PASSWORD).await;
    b.click("form[action='/ui/login'] button[type=submit]")
        .await;
    b.find("#message").await;
    assert_eq!(b.path().await, format!("/ui/tickets/{id}"));
    assert_eq!(
        b.js("return document.querySelector('#message').value")
            .await,
        json!("A long explanation I do not want to type again")
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_close_needs_a_resolution_the_creator_sees_live_and_may_reopen() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    app.user("agent1", "agent").await;
    let id = app.ticket(&u.token, "Монитор мигает").await["id"]
        .as_i64()
        .unwrap();
    let driver = Driver::start().await;
    let user = driver.browser(&app.base, "en").await;
    user.sign_in("user1", USER_PASSWORD).await;
    user.open(&format!("/ui/tickets/{id}")).await;
    user.find("#close").await;
    let agent = driver.browser(&app.base, "en").await;
    agent.sign_in("agent1", USER_PASSWORD).await;
    agent.open(&format!("/ui/tickets/{id}")).await;
    // The status menu cannot close; an empty resolution is refused by the server too.
    let offered = agent
        .js("return [...document.querySelectorAll('#status-form option')].map(o => o.value)")
        .await;
    assert_eq!(offered, json!(["new", "in_progress"]));
    agent
        .js("document.querySelector('#resolution-text').removeAttribute('required'); return null")
        .await;
    agent.click("#close").await;
    agent
        .wait_for_text(".field-error", "Describe the resolution")
        .await;
    assert_eq!(
        app.sql(&format!("SELECT status FROM tickets WHERE id = {id}"))
            .await,
        vec![json!(0)]
    );
    agent.fill("#resolution-text", "Cable replaced").await;
    agent.click("#close").await;
    agent.wait_for_text("#ticket-status", "Closed").await;
    // The creator's open page catches up whole: no stale close or hide, the resolution shown.
    user.wait_for_text("#ticket-status", "Closed").await;
    user.wait_for_text("#resolution", "Cable replaced").await;
    user.find("#reopen").await;
    assert!(!user.has("#close").await);
    // Reopening says why: the reason lands in the thread for whoever works it.
    user.fill("#reopen-reason", "Still no signal on the second screen")
        .await;
    user.click("#reopen").await;
    user.wait_for_text("#flash", "reopened").await;
    // Nobody held it, so it is back in the queue.
    user.wait_for_text("#ticket-status", "New").await;
    user.wait_for_text("#thread", "Still no signal on the second screen")
        .await;
    agent
        .wait_for_text("#thread", "Still no signal on the second screen")
        .await;
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket' AND entity_id = {id} AND description LIKE '%переоткрыта%'"
        ))
        .await;
    assert_eq!(audited, 1);
    // Past the window the creator may not reopen.
    agent.open(&format!("/ui/tickets/{id}")).await;
    agent.fill("#resolution-text", "Replaced again").await;
    agent.click("#close").await;
    agent.wait_for_text("#ticket-status", "Closed").await;
    app.exec(&format!(
        "UPDATE tickets SET closed_at = '2020-01-01 00:00:00' WHERE id = {id}"
    ))
    .await;
    user.open(&format!("/ui/tickets/{id}")).await;
    user.find("#resolution").await;
    assert!(!user.has("#reopen").await);
    for b in [user, agent] {
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_works_the_queue_from_the_list() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    app.user("agent1", "agent").await;
    let mut ids = Vec::new();
    for i in 0..60 {
        let (status, body) = app
            .call(
                Method::POST,
                "/api/v1/tickets/",
                Some(&u.token),
                Some(json!({"title": format!("Заявка {i}"), "description": "", "room_number": format!("{}", 300 + i), "priority": if i % 3 == 0 { "high" } else { "low" }})),
            )
            .await;
        assert!(status.is_success(), "{body}");
        ids.push(body["id"].as_i64().unwrap());
    }
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("agent1", USER_PASSWORD).await;
    // An agent lands on their working list.
    b.open("/ui/tickets").await;
    assert_eq!(
        b.js("return document.querySelector('#view').value").await,
        json!("work")
    );
    // "/" searches; a number finds its ticket, a room and the author's name find theirs.
    b.js("document.activeElement.blur(); return null").await;
    b.find("body").await.send_keys("/").await.unwrap();
    assert_eq!(b.js("return document.activeElement.id").await, json!("q"));
    let number = ids[14];
    b.open(&format!("/ui/tickets?view=all&q=%23{number}")).await;
    assert_eq!(
        b.js(
            "return [...document.querySelectorAll('#tickets tbody tr')].map(r => r.dataset.ticket)"
        )
        .await,
        json!([number.to_string()])
    );
    b.open("/ui/tickets?view=all&q=359").await;
    assert_eq!(b.text("#ticket-total").await, "(1)");
    b.open("/ui/tickets?view=all&q=user1+full").await;
    assert_eq!(b.text("#ticket-total").await, "(60)");
    // A page past the end shows the last one, numbered.
    b.open("/ui/tickets?view=all&page=51").await;
    assert_eq!(b.text(".pager [aria-current=page]").await, "3");
    // Columns sort, both ways.
    b.open("/ui/tickets?view=all").await;
    b.click("th a.sort[href*='sort=-priority']").await;
    b.find("th[aria-sort=descending]").await;
    let first = b
        .js("return document.querySelector('#tickets tbody .priority-high') !== null")
        .await;
    assert_eq!(first, json!(true));
    // The view chosen is remembered for the account.
    b.open("/ui/tickets?view=unassigned_high").await;
    b.open("/ui/equipment").await;
    b.open("/ui/tickets").await;
    assert_eq!(
        b.js("return document.querySelector('#view').value").await,
        json!("unassigned_high")
    );
    assert_eq!(b.text("#ticket-total").await, "(20)");
    // Two tickets picked from the keyboard (x selects the first row before any j) and
    // closed at once with one resolution.
    let picked: Vec<String> = b
        .js("var key = k => document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true})); key('x'); key('j'); key('x'); return [...document.querySelectorAll('input[name=ids]')].filter(c => c.checked).map(c => c.value)")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(picked.len(), 2);
    b.click("#bulk-panel summary").await;
    // Each action shows only the field it needs.
    let shown = "return [...document.querySelectorAll('#bulk [data-for]')].filter(f => f.offsetParent !== null).map(f => f.name)";
    assert_eq!(b.js(shown).await, json!([]), "taking needs no field");
    b.choose("#bulk-action", "assign").await;
    assert_eq!(b.js(shown).await, json!(["assignee"]));
    b.choose("#bulk-action", "close").await;
    assert_eq!(b.js(shown).await, json!(["resolution"]));
    b.fill(
        "#bulk input[name=resolution]",
        "Toner replaced on the floor",
    )
    .await;
    b.click("#bulk-apply").await;
    b.wait_for_text("#flash", "Tickets changed: 2").await;
    let closed = app
        .count(&format!(
            "SELECT COUNT(*) FROM tickets WHERE status = 2 AND resolution = 'Toner replaced on the floor' AND id IN ({})",
            picked.join(",")
        ))
        .await;
    assert_eq!(closed, 2);
    // The keys are listed on "?".
    b.find("body").await.send_keys("?").await.unwrap();
    b.wait_for_text("#keys", "next / previous ticket").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bell_says_its_count_aloud_and_an_opened_ticket_is_read() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    let id = app.ticket(&u.token, "Проектор").await["id"]
        .as_i64()
        .unwrap();
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("user1", USER_PASSWORD).await;
    b.open("/ui/notifications").await;
    assert_eq!(
        b.js("return [document.querySelector('#unread').hidden, document.querySelector('#bell').getAttribute('aria-label')]").await,
        json!([true, "Notifications"])
    );
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&agent.token),
            Some(json!({"message": "Which room?"})),
        )
        .await;
    assert!(status.is_success());
    b.wait_for_text("#unread", "1").await;
    assert_eq!(
        b.js("return document.querySelector('#bell').getAttribute('aria-label')")
            .await,
        json!("Notifications: 1 unread")
    );
    // The notification's title is in the reader's language, not the stored Russian.
    b.open("/ui/notifications").await;
    b.wait_for_text(
        "#notification-list",
        &format!("New message on ticket #{id}"),
    )
    .await;
    b.open(&format!("/ui/tickets/{id}")).await;
    b.find("#thread").await;
    let unread = format!(
        "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND is_read = false",
        u.id
    );
    assert_eq!(app.count(&unread).await, 0);
    b.open("/ui/notifications").await;
    assert_eq!(
        b.js("return document.querySelector('#unread').hidden")
            .await,
        json!(true)
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_opens_right_in_a_russian_spreadsheet() {
    let app = TestApp::spawn().await;
    let category = app.category("Принтеры").await;
    let u = app.user("user1", "user").await;
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(json!({"title": "Замятие; бумага", "description": "Каждый лист", "room_number": "204", "category_id": category})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let id = body["id"].as_i64().unwrap();
    app.exec(&format!(
        "UPDATE tickets SET created_at = '2026-03-10 00:50:00' WHERE id = {id}"
    ))
    .await;
    let driver = Driver::start_in_zone(Some("Europe/Moscow")).await;
    let b = driver.browser_sized(&app.base, "ru", Screen::Desktop).await;
    b.sign_in("admin", ADMIN_PASSWORD).await;
    for (button, check) in [("#export-csv", "csv"), ("#export-xlsx", "xlsx")] {
        b.open("/ui/tickets?view=all").await;
        b.click(button).await;
        b.find("#export-download").await;
        // Its state in words, on a Russian page.
        assert_eq!(b.text("#export-state").await, "готово");
        let bytes = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch(document.querySelector('#export-download').href)
                   .then(r => r.arrayBuffer())
                   .then(b => done(Array.from(new Uint8Array(b))));",
                vec![],
            )
            .await
            .unwrap();
        let bytes: Vec<u8> = serde_json::from_value(bytes).unwrap();
        if check == "csv" {
            assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "a byte-order mark first");
            let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
            let mut lines = text.lines();
            assert!(
                lines
                    .next()
                    .unwrap()
                    .starts_with("№;Тема;Статус;Приоритет;Категория")
            );
            let row = lines.next().unwrap();
            assert!(
                row.starts_with(&format!(
                    "{id};\"Замятие; бумага\";Новая;Средний;Принтеры;204;"
                )),
                "{row}"
            );
            assert!(
                row.contains("2026-03-10 03:50") && row.contains("Каждый лист"),
                "{row}"
            );
        } else {
            assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip archive");
        }
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_badges_the_overdue_view_and_the_timeline_explain_a_late_ticket() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    app.user("agent1", "agent").await;
    app.round_the_clock_policy(json!({"first_response_minutes": 60, "resolution_minutes": 120}))
        .await;
    let late = app.ticket(&u.token, "Сервер гудит").await["id"]
        .as_i64()
        .unwrap();
    // Two and a half hours later another comes in; the first is now overdue.
    app.service.advance_clock(chrono::Duration::minutes(150));
    let fresh = app.ticket(&u.token, "Мышь не кликает").await["id"]
        .as_i64()
        .unwrap();
    app.sla_sweep().await;
    // "Due today" ends at midnight (here UTC) of the service's day — its clock, moved on by
    // the 150 minutes above — so which of the two it holds depends on the hour the test runs:
    // the expectation is read off their due times.
    let agent = app.token("agent1", USER_PASSWORD).await;
    let service_now = chrono::Utc::now() + chrono::Duration::minutes(150);
    let midnight = (service_now.date_naive() + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut due_today = Vec::new();
    for id in [late, fresh] {
        let (_, t) = app
            .call(
                Method::GET,
                &format!("/api/v1/tickets/{id}"),
                Some(&agent),
                None,
            )
            .await;
        let due = t["sla"]["resolution"]["due_at"]
            .as_str()
            .expect("a due time");
        let due = chrono::NaiveDateTime::parse_from_str(due, "%Y-%m-%dT%H:%M:%S").unwrap();
        if due < midnight {
            due_today.push(id);
        }
    }

    let driver = Driver::start_in_zone(Some("UTC")).await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("agent1", USER_PASSWORD).await;
    b.open("/ui/tickets?view=overdue").await;
    let rows = || {
        b.js("return [...document.querySelectorAll('#tickets tbody tr')].map(r => Number(r.dataset.ticket))")
    };
    assert_eq!(
        rows().await,
        json!([late]),
        "only the late ticket is overdue"
    );
    let badge = b
        .js(&format!(
            "return document.querySelector('tr[data-ticket=\"{late}\"] .due').className"
        ))
        .await;
    assert!(badge.as_str().unwrap().contains("due-late"), "{badge}");
    b.wait_for_text(&format!("tr[data-ticket='{late}']"), "late by 30 min")
        .await;
    // Due today: those due before midnight (both, unless the test runs late in the day),
    // soonest first; the fresh one is green wherever it shows.
    b.open("/ui/tickets?view=due_today").await;
    assert_eq!(rows().await, json!(due_today));
    b.open("/ui/tickets?view=all").await;
    let fresh_badge = b
        .js(&format!(
            "return document.querySelector('tr[data-ticket=\"{fresh}\"] .due').className"
        ))
        .await;
    assert!(
        fresh_badge.as_str().unwrap().contains("due-ok"),
        "{fresh_badge}"
    );

    // The ticket explains its due time and tells what happened, the sweep included.
    b.open(&format!("/ui/tickets/{late}")).await;
    b.wait_for_text("#due", "target 2 h 00 min of working time")
        .await;
    b.wait_for_text("#due-explained", "calendar “Always”").await;
    b.wait_for_text("#due-explained", "+ 0 min waiting on the requester")
        .await;
    b.click("#timeline summary").await;
    b.wait_for_text("#timeline", "Resolution overdue").await;
    b.wait_for_text("#timeline", "Ticket filed").await;
    // "Take the next ticket" takes the soonest due first, then the next; then the queue is
    // empty.
    for expected in [late, fresh] {
        b.open("/ui/tickets").await;
        b.click("#next-ticket").await;
        // The ticket's page, now the agent's (read from the page's facts rather than the
        // one-shot message, which a slow run has been seen to miss).
        let page = format!("/ui/tickets/{expected}");
        for _ in 0..100 {
            if b.path().await == page {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(b.path().await, page);
        let (_, taken) = app
            .call(
                Method::GET,
                &format!("/api/v1/tickets/{expected}"),
                Some(&agent),
                None,
            )
            .await;
        assert_eq!(taken["assigned_to"]["name"], "agent1 full", "{taken}");
    }
    b.open("/ui/tickets").await;
    b.click("#next-ticket").await;
    b.wait_for_text("#flash", "The queue is empty").await;
    b.open(&format!("/ui/tickets/{late}")).await;
    // Waiting on the requester pauses the clock: the badge turns grey.
    b.click("#wait").await;
    b.wait_for_text("#flash", "Waiting on the requester").await;
    b.wait_for_text("#due-resolution", "paused").await;
    b.wait_for_text("#ticket-waiting", "Waiting on the requester")
        .await;
    // Answered late, then closed while still waiting: both clocks say how they ended and
    // when, not "paused" and not a due time in the future.
    b.fill("#message", "Заменили вентилятор").await;
    b.click("#message-form button[type=submit]").await;
    b.wait_for_text("#flash", "Message sent").await;
    b.wait_for_text("#due-first-response", "done late by").await;
    b.fill("#resolution-text", "Вентилятор заменён").await;
    b.click("#close").await;
    b.wait_for_text("#ticket-status", "Closed").await;
    b.wait_for_text("#due-resolution", "done late by").await;
    b.wait_for_text("#due", "was due").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_up_service_levels_on_their_page() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("admin", ADMIN_PASSWORD).await;
    b.open("/ui/service-levels").await;
    b.wait_for_text("#no-policies", "No policies yet").await;
    // A calendar: weekdays 9–18 are filled in, Saturday added, a yearly holiday.
    b.fill("#calendar-name", "Office").await;
    b.choose("#calendar-zone", "Europe/Moscow").await;
    b.fill("input[name=sat]", "10:00-14:00").await;
    b.fill("#calendar-holidays", "01-01").await;
    b.click("#new-calendar button[type=submit]").await;
    b.wait_for_text("#flash", "Saved").await;
    b.wait_for_text("#calendars", "Europe/Moscow").await;
    b.wait_for_text("#calendars", "10:00-14:00").await;
    // A bad calendar is refused with the reason.
    b.click("#new-calendar-panel summary").await;
    b.fill("#calendar-name", "Broken").await;
    b.fill("input[name=mon]", "18:00-09:00").await;
    b.click("#new-calendar button[type=submit]").await;
    b.wait_for_text("#flash", "09:00-18:00").await;
    // A policy on it.
    b.fill("#policy-name", "Standard").await;
    b.fill("#policy-first-response", "1").await;
    b.fill("#policy-resolution", "8").await;
    b.click("#new-policy button[type=submit]").await;
    b.wait_for_text("#policies", "Standard").await;
    b.wait_for_text("#policies", "every other ticket").await;
    // Targets read as time, not minutes.
    b.wait_for_text("#policies", "8 h 00 min").await;
    // Corrected in place: the form opens filled in, the change is saved on the same policy.
    b.click("#policies a[id^=edit-policy]").await;
    assert_eq!(
        b.js("return document.querySelector('#policy-resolution').value")
            .await,
        json!("8")
    );
    b.fill("#policy-resolution", "10").await;
    b.fill("#policy-resolution-mins", "30").await;
    b.click("#new-policy button[type=submit]").await;
    b.wait_for_text("#flash", "Saved").await;
    b.wait_for_text("#policies", "10 h 30 min").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM sla_policies").await, 1);
    assert_eq!(
        app.count("SELECT resolution_minutes FROM sla_policies")
            .await,
        630
    );
    // And a calendar: Saturday off now.
    b.click("#calendars a[id^=edit-calendar]").await;
    assert_eq!(
        b.js("return document.querySelector('#calendar-name').value")
            .await,
        json!("Office")
    );
    b.fill("input[name=sat]", "").await;
    b.click("#new-calendar button[type=submit]").await;
    b.wait_for_text("#flash", "Saved").await;
    assert!(!b.text("#calendars").await.contains("10:00-14:00"));
    b.click("#policies a[id^=edit-policy]").await;
    b.fill("#policy-resolution", "8").await;
    b.fill("#policy-resolution-mins", "0").await;
    b.click("#new-policy button[type=submit]").await;
    b.wait_for_text("#policies", "8 h 00 min").await;
    // New tickets now run under it.
    let id = app.ticket(&u.token, "Не включается").await["id"]
        .as_i64()
        .unwrap();
    let (_, seen) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(seen["sla"]["resolution"]["target_minutes"], 480, "{seen}");
    // Deleting: the calendar is refused while the policy counts on it, then goes after it.
    b.open("/ui/service-levels").await;
    b.js("window.confirm = function () { return true; }; return null")
        .await;
    b.click("#calendars button.danger-text").await;
    b.wait_for_text("#flash", "policies count on this calendar")
        .await;
    b.js("window.confirm = function () { return true; }; return null")
        .await;
    b.click("#policies button.danger-text").await;
    b.wait_for_text("#flash", "Deleted").await;
    b.wait_for_text("#no-policies", "No policies yet").await;
    b.js("window.confirm = function () { return true; }; return null")
        .await;
    b.click("#calendars button.danger-text").await;
    b.wait_for_text("#calendars", "No calendars yet").await;
    b.close().await;
    // Agents may not open the page.
    let other = driver.browser(&app.base, "en").await;
    other.sign_in("agent1", USER_PASSWORD).await;
    other.open("/ui/service-levels").await;
    assert_eq!(other.text("h1").await, "403");
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_a_rule_and_an_agent_records_an_absence_on_the_assignment_page() {
    let app = TestApp::spawn().await;
    let printers = app.category("Printers").await;
    let u = app.user("user1", "user").await;
    let agent = app.user("agent1", "agent").await;
    app.user("agent2", "agent").await;
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("admin", ADMIN_PASSWORD).await;
    b.open("/ui/assignment").await;
    b.wait_for_text("#no-rules", "No rules").await;
    // A group needs someone in it: the refusal says so.
    b.choose("#rule-category", &printers.to_string()).await;
    b.click("#new-rule button[type=submit]").await;
    b.wait_for_text("#flash", "at least one agent").await;
    // Printers go to agent1 alone, in turn.
    b.choose("#rule-category", &printers.to_string()).await;
    b.click(&format!(
        "#new-rule input[name=agents][value='{}']",
        agent.id
    ))
    .await;
    b.click("#new-rule button[type=submit]").await;
    b.wait_for_text("#flash", "Saved").await;
    b.wait_for_text("#rules", "Printers").await;
    b.wait_for_text("#rules", "each in turn").await;
    b.wait_for_text("#rules", "on").await;
    let filed = |title: &'static str| {
        let app = &app;
        let token = u.token.clone();
        async move {
            let (status, body) = app
                .call(
                    Method::POST,
                    "/api/v1/tickets/",
                    Some(&token),
                    Some(json!({"title": title, "description": "Jammed", "room_number": "101", "category_id": printers})),
                )
                .await;
            assert!(status.is_success(), "{body}");
            body["assigned_to_id"].clone()
        }
    };
    assert_eq!(filed("Paper jam").await, agent.id);
    // Switched off, new tickets wait for someone to take them.
    b.click("#rules form[action$='/toggle'] button").await;
    b.wait_for_text("#rules", "off").await;
    assert_eq!(filed("Toner low").await, serde_json::Value::Null);
    b.close().await;

    // The agent sees the rules but not the admin's forms, and records a day away.
    let a = driver.browser(&app.base, "en").await;
    a.sign_in("agent1", USER_PASSWORD).await;
    a.open("/ui/assignment").await;
    a.wait_for_text("#rules", "Printers").await;
    let admin_forms = a
        .js("return document.querySelectorAll('#new-rule, #rules form').length")
        .await;
    assert_eq!(admin_forms, 0);
    a.wait_for_text("#no-absences", "No absences").await;
    a.click("#new-absence-panel summary").await;
    a.fill("#absence-note", "Training").await;
    a.click("#new-absence button[type=submit]").await;
    a.wait_for_text("#flash", "Saved").await;
    a.wait_for_text("#absences", "Training").await;
    // Away today: switched on again, the rule passes over the only agent of its group.
    switch_rule_on(&app, printers).await;
    assert_eq!(filed("Streaks").await, serde_json::Value::Null);
    // Back after all: removing the absence gives the next one to the agent again.
    a.js("window.confirm = function () { return true; }; return null")
        .await;
    a.click("#absences button.danger-text").await;
    a.wait_for_text("#no-absences", "No absences").await;
    assert_eq!(filed("Smudges").await, agent.id);
    a.close().await;
}

/// Switches the category's rule on through the API (the page's switch is tested above).
async fn switch_rule_on(app: &TestApp, category: i64) {
    let admin = app.admin_token().await;
    let (_, rules) = app
        .call(Method::GET, "/api/v1/assignment-rules/", Some(&admin), None)
        .await;
    let rule = rules
        .as_array()
        .and_then(|r| r.iter().find(|r| r["category_id"] == category))
        .expect("the rule")
        .clone();
    let mut body = rule.clone();
    body["enabled"] = true.into();
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/assignment-rules/{}", rule["id"]),
            Some(&admin),
            Some(body),
        )
        .await;
    assert!(status.is_success(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_labels_address_opens_the_form_about_the_item_and_files_the_ticket() {
    let app = TestApp::spawn().await;
    let printers = app.category("Printers").await;
    app.user("user1", "user").await;
    let admin = app.admin_token().await;
    let (status, item) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&admin),
            Some(json!({"name": "HP LaserJet 400", "category_id": printers, "inventory_number": "INV-0042", "location": "204"})),
        )
        .await;
    assert!(status.is_success(), "{item}");
    let id = item["id"].as_i64().unwrap();
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    // What the phone's camera opens: the label's address, before anyone signed in.
    b.open(&format!("/ui/r/{id}")).await;
    b.find("#username").await;
    b.fill("#username", "user1").await;
    b.fill("#password", USER_PASSWORD).await;
    b.click("form[action='/ui/login'] button[type=submit]")
        .await;
    b.find("#new-ticket").await;
    assert_eq!(
        b.js("return document.getElementById('equipment_id').value")
            .await,
        id.to_string()
    );
    assert_eq!(
        b.js("return document.getElementById('category_id').value")
            .await,
        printers.to_string()
    );
    assert_eq!(
        b.js("return document.getElementById('room_number').value")
            .await,
        "204"
    );
    b.fill("#title", "Streaks on every page").await;
    b.fill("#description", "Since this morning").await;
    b.click("#submit-ticket").await;
    b.wait_for_text("#flash", "").await;
    b.close().await;
    let (_, tickets) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{id}/tickets"),
            Some(&admin),
            None,
        )
        .await;
    let filed = &tickets.as_array().expect("tickets")[0];
    assert_eq!(filed["title"], "Streaks on every page");
    assert_eq!(filed["room_number"], "204");
    assert_eq!(filed["category_id"], printers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_correct_a_misfiled_ticket_where_they_read_it() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    app.user("agent1", "agent").await;
    let printers = app.category("Принтеры").await;
    let projectors = app.category("Проекторы").await;
    let id = app.ticket(&u.token, "Не печатает").await["id"]
        .as_i64()
        .unwrap();
    let driver = Driver::start().await;
    let agent = driver.browser(&app.base, "en").await;
    agent.sign_in("agent1", USER_PASSWORD).await;
    agent.open(&format!("/ui/tickets/{id}")).await;
    agent.click("#edit-link").await;
    agent.fill("#title", "Проектор не включается").await;
    agent.choose("#category_id", &projectors.to_string()).await;
    agent.fill("#room_number", "214").await;
    agent.choose("#priority", "high").await;
    agent.click("#save-details").await;
    agent.wait_for_text("#flash", "details are saved").await;
    agent.wait_for_text("#ticket-priority", "High").await;
    agent.wait_for_text("#facts", "Проекторы").await;
    assert_eq!(
        app.sql(&format!(
            "SELECT title || '|' || category_id || '|' || room_number || '|' || priority FROM tickets WHERE id = {id}"
        ))
        .await,
        vec![json!(format!("Проектор не включается|{projectors}|214|2"))]
    );
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket' AND entity_id = {id} AND action_type = 'UPDATE'"
        ))
        .await;
    assert_eq!(audited, 1, "one correction, one audit row");
    // A blank title is refused whole: nothing changes, the reason is shown.
    agent.click("#edit-link").await;
    agent
        .js("document.querySelector('#title').removeAttribute('required'); return null")
        .await;
    agent.fill("#title", "").await;
    agent.choose("#category_id", &printers.to_string()).await;
    agent.click("#save-details").await;
    agent.wait_for_text("#flash", "Title").await;
    assert_eq!(
        app.sql(&format!("SELECT category_id FROM tickets WHERE id = {id}"))
            .await,
        vec![json!(projectors)]
    );
    // Its requester may correct it while nobody has started on it; once staff work it, no
    // longer.
    let user = driver.browser(&app.base, "en").await;
    user.sign_in("user1", USER_PASSWORD).await;
    user.open(&format!("/ui/tickets/{id}")).await;
    assert!(user.has("#edit-link").await);
    agent.open(&format!("/ui/tickets/{id}")).await;
    agent.click("#take").await;
    agent.wait_for_text("#ticket-status", "In progress").await;
    user.open(&format!("/ui/tickets/{id}")).await;
    user.find("#message").await;
    assert!(!user.has("#edit-link").await && !user.has("#edit").await);
    for b in [user, agent] {
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_left_closes_its_live_stream_so_the_tab_never_stalls() {
    // A browser allows six connections to a host; each page holds one open for its live
    // notifications. A page kept for the back button that kept its stream would, after six
    // pages, leave the seventh waiting for a connection for about a minute.
    let app = TestApp::spawn().await;
    app.user("agent1", "agent").await;
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("agent1", USER_PASSWORD).await;
    for i in 0..10 {
        let (path, heading) = if i % 2 == 0 {
            (format!("/ui/tickets?page={i}"), "Tickets")
        } else {
            (format!("/ui/notifications?n={i}"), "Notifications")
        };
        b.js(&format!("window.location.href = '{path}'; return null"))
            .await;
        // Shown within the harness's patience (the other page's heading differs), or the tab
        // stalled.
        b.wait_for_text("h1", heading).await;
        let query = path.split_once('?').map(|(_, q)| format!("?{q}"));
        assert_eq!(b.js("return location.search").await, json!(query));
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_agents_page_follows_what_the_first_does_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    app.user("agent_a", "agent").await;
    app.user("agent_b", "agent").await;
    let id = app.ticket(&u.token, "Проектор мигает").await["id"]
        .as_i64()
        .unwrap();
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("agent_b", USER_PASSWORD).await;
    b.open(&format!("/ui/tickets/{id}")).await;
    b.find("#take").await;
    b.fill("#message", "Я бы начал с лампы").await;
    // Agent A takes it and answers elsewhere (no notification is meant for B).
    let a = app.token("agent_a", USER_PASSWORD).await;
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/assign"),
            Some(&a),
            None,
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&a),
            Some(json!({"message": "Уже еду"})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    b.wait_for_text("#thread", "Уже еду").await;
    b.wait_for_text("#held-by", "agent_a full is working on this ticket")
        .await;
    b.wait_for_text("#ticket-assignee", "agent_a").await;
    assert_eq!(
        b.js("return [document.querySelector('#take') === null, document.querySelector('#message').value]")
            .await,
        json!([true, "Я бы начал с лампы"]),
        "no stale Take, and the half-typed reply is still there"
    );
    // The requester's page follows a change nobody notifies them of.
    let r = driver.browser(&app.base, "en").await;
    r.sign_in("user1", USER_PASSWORD).await;
    r.open(&format!("/ui/tickets/{id}")).await;
    r.find("#thread").await;
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/tickets/{id}"),
            Some(&a),
            Some(json!({"priority": "high"})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    r.wait_for_text("#ticket-priority", "High").await;
    assert!(
        !r.has("#held-by").await,
        "requesters are not told who holds it this way"
    );
    for browser in [b, r] {
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remembered_filters_say_so_and_reset_to_the_working_list() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    app.user("agent1", "agent").await;
    app.ticket(&u.token, "Не работает мышь").await;
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("agent1", USER_PASSWORD).await;
    // The landing list is the working list, with no word about filters.
    b.open("/ui/tickets").await;
    b.find("#tickets").await;
    assert!(!b.has("#remembered").await);
    // One look at "Overdue"; the next visit lands there and says so.
    b.open("/ui/tickets?view=overdue").await;
    b.open("/ui/tickets").await;
    b.wait_for_text("#remembered", "Showing your last filters")
        .await;
    assert_eq!(
        b.js("return document.querySelector('#view').value").await,
        json!("overdue")
    );
    b.click("#reset-filters").await;
    b.wait_for_text("#ticket-total", "(1)").await;
    assert_eq!(
        b.js("return [document.querySelector('#view').value, document.querySelector('#remembered') === null]")
            .await,
        json!(["work", true])
    );
    // And the working list is remembered again: the next landing has no notice.
    b.open("/ui/tickets").await;
    b.find("#tickets").await;
    assert!(!b.has("#remembered").await);
    b.close().await;
}

/// Opens `path` and fails on what axe finds serious or a page wider than the screen.
async fn clean(b: &crate::harness::Browser, path: &str) {
    b.open(path).await;
    let problems = b.accessibility_problems().await;
    assert!(problems.is_empty(), "{path}: {problems:?}");
    assert!(b.overflow().await <= 0, "{path}: {}", b.widest().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_broken_item_is_joined_from_its_label_and_a_duplicate_is_merged() {
    let app = TestApp::spawn().await;
    let item = app.equipment("Epson EB-X41", "Проекторы").await;
    let first = app.user("teacher1", "user").await;
    app.user("teacher2", "user").await;
    let third = app.user("teacher3", "user").await;
    app.user("agent1", "agent").await;
    let file = |token: String| {
        let app = &app;
        async move {
            let (status, t) = app
                .call(
                    Method::POST,
                    "/api/v1/tickets/",
                    Some(&token),
                    Some(json!({"title": "Projector shows no picture", "description": "Blue screen", "room_number": "214", "equipment_id": item})),
                )
                .await;
            assert!(status.is_success(), "{t}");
            t["id"].as_i64().unwrap()
        }
    };
    let kept = file(first.token.clone()).await;
    let driver = Driver::start().await;
    // A second teacher scans the label: the open report is named first, and they join it.
    for screen in [Screen::Phone, Screen::Desktop] {
        let b = driver.browser_sized(&app.base, "en", screen).await;
        b.sign_in("teacher2", USER_PASSWORD).await;
        clean(&b, &format!("/ui/tickets/new?equipment={item}")).await;
        b.wait_for_text("#open-reports", &format!("#{kept}")).await;
        assert!(
            !b.has(&format!("#open-reports a[href='/ui/tickets/{kept}']"))
                .await
        );
        b.close().await;
    }
    let b = driver.browser_sized(&app.base, "ru", Screen::Phone).await;
    b.sign_in("teacher2", USER_PASSWORD).await;
    b.open(&format!("/ui/tickets/new?equipment={item}")).await;
    b.screenshot("already-reported-phone").await;
    b.click(&format!("#join-{kept}")).await;
    b.wait_for_text("#flash", "Вы следите за заявкой").await;
    assert_eq!(b.path().await, format!("/ui/tickets/{kept}"));
    b.find("#following").await;
    // They write to it as its requester does, and find it on the form no more to join.
    b.fill("#message", "В 214 то же самое").await;
    b.click("#message-form button[type=submit]").await;
    b.wait_for_text("#thread", "В 214 то же самое").await;
    b.close().await;

    // The third teacher filed anyway; the agent merges it into the first report.
    let dup = file(third.token.clone()).await;
    let agent = driver.browser_sized(&app.base, "en", Screen::Desktop).await;
    agent.sign_in("agent1", USER_PASSWORD).await;
    agent.open(&format!("/ui/tickets/{dup}")).await;
    agent.click("#merge summary").await;
    agent.fill("#merge-into", "12345").await;
    agent.click("#merge-submit").await;
    agent.wait_for_text("#flash", "not found").await;
    agent.click("#merge summary").await;
    agent.fill("#merge-into", &format!("#{kept}")).await;
    agent.click("#merge-submit").await;
    agent
        .wait_for_text("#flash", &format!("#{dup} was merged"))
        .await;
    assert_eq!(agent.path().await, format!("/ui/tickets/{kept}"));
    agent
        .wait_for_text("#merged-here", &format!("#{dup}"))
        .await;
    agent.wait_for_text("#followers", "teacher2").await;
    agent.wait_for_text("#followers", "teacher3").await;
    clean(&agent, &format!("/ui/tickets/{kept}")).await;
    agent.screenshot("merged-here-desktop").await;
    // The item's page lists its tickets whole beside its side column.
    clean(&agent, &format!("/ui/equipment/{item}")).await;
    agent
        .wait_for_text("main", "Projector shows no picture")
        .await;
    agent.screenshot("equipment-tickets-desktop").await;
    agent.close().await;

    // The duplicate's requester reads where the work goes on, and follows it.
    let b = driver.dark_browser(&app.base, "en", Screen::Phone).await;
    b.sign_in("teacher3", USER_PASSWORD).await;
    clean(&b, &format!("/ui/tickets/{dup}")).await;
    b.screenshot("merged-duplicate-phone-dark").await;
    b.wait_for_text("#merged-into", &format!("#{kept}")).await;
    b.click("#merged-into a").await;
    b.find("#following").await;
    clean(&b, &format!("/ui/tickets/{kept}")).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_keeps_their_own_canned_replies_and_uses_them_on_a_ticket() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    app.user("agent1", "agent").await;
    let id = app.ticket(&u.token, "Printer jams").await["id"]
        .as_i64()
        .unwrap();
    let admin = app.admin_token().await;
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/canned-replies/",
            Some(&admin),
            Some(json!({"title": "Desk hours", "body": "We work 9 to 6.", "shared": true})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let driver = Driver::start().await;
    let b = driver.browser_sized(&app.base, "en", Screen::Phone).await;
    b.sign_in("agent1", USER_PASSWORD).await;
    b.open(&format!("/ui/tickets/{id}")).await;
    b.click("#manage-canned").await;
    b.find("#new-reply").await;
    // The shared reply is shown, not offered for editing to an agent.
    b.wait_for_text("#replies", "We work 9 to 6.").await;
    assert!(!b.has("#replies form").await);
    clean(&b, "/ui/canned").await;
    b.fill("#new-title", "On my way").await;
    b.fill(
        "#new-body",
        "Hello {requester}, I am coming to room {ticket}.",
    )
    .await;
    b.click("#new-reply button[type=submit]").await;
    b.wait_for_text("#flash", "Saved").await;
    // Corrected in place.
    b.fill(
        "#replies form textarea",
        "Hello {requester}, I am coming about {ticket}.",
    )
    .await;
    b.click("#replies form button[type=submit]").await;
    b.wait_for_text("#flash", "Saved").await;
    // On the ticket it is offered filled in for it.
    b.open(&format!("/ui/tickets/{id}")).await;
    let offered = b
        .js("return [...document.querySelectorAll('#canned option')].map(o => o.value).join('|')")
        .await;
    assert!(
        offered
            .as_str()
            .unwrap()
            .contains(&format!("Hello teacher full, I am coming about {id}.")),
        "{offered}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_maintenance_checklist_is_ticked_on_the_ticket_and_schedules_are_listed() {
    let app = TestApp::spawn().await;
    app.user("agent1", "agent").await;
    let item = app.equipment("Epson EB-X41", "Projectors").await;
    let admin = app.admin_token().await;
    let today = chrono::Utc::now().date_naive();
    let (status, schedule) = app
        .call(
            Method::POST,
            "/api/v1/maintenance-schedules/",
            Some(&admin),
            Some(json!({"title": "Filter cleaning", "equipment_id": item, "every": 1, "unit": "months",
                "starts_on": today.to_string(), "checklist": ["Blow out the filter", "Check the lamp hours"]})),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{schedule}");
    app.jobs_settled().await;
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/maintenance-schedules/run",
            Some(&admin),
            None,
        )
        .await;
    assert!(status.is_success());
    app.jobs_settled().await;
    let id = app.count("SELECT MAX(id) FROM tickets WHERE planned").await;
    assert!(id > 0, "the schedule opened its ticket");
    let driver = Driver::start().await;
    let b = driver.browser_sized(&app.base, "en", Screen::Phone).await;
    b.sign_in("agent1", USER_PASSWORD).await;
    // The desk's schedules are listed with the items they service.
    clean(&b, "/ui/equipment/health").await;
    b.wait_for_text("#schedules", "Filter cleaning").await;
    b.wait_for_text("#schedules", "Epson EB-X41").await;
    clean(&b, &format!("/ui/tickets/{id}")).await;
    assert_eq!(
        b.js("return document.querySelector('#check-1').getAttribute('aria-checked')")
            .await,
        json!("false")
    );
    b.click("#check-1").await;
    b.wait_for_text("#flash", "Saved").await;
    assert_eq!(
        b.js("return document.querySelector('#check-1').getAttribute('aria-checked')")
            .await,
        json!("true")
    );
    let text = app
        .sql(&format!("SELECT description FROM tickets WHERE id = {id}"))
        .await;
    let text = text[0].as_str().unwrap().to_string();
    assert!(text.contains("☑ Blow out the filter"), "{text}");
    assert!(text.contains("☐ Check the lamp hours"), "{text}");
    b.close().await;
}
