//! The main path of each role, and the ways a visitor can be turned away.

use fixdesk_tests::{ADMIN_PASSWORD, TestApp, USER_PASSWORD};
use serde_json::json;

use crate::harness::Driver;

/// A real 1×1 PNG, so the attachment passes the content check.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_from_filing_to_statistics_and_audit() {
    let app = TestApp::spawn().await;
    let category = app.category("Принтеры").await;
    let printer = app.equipment("HP LaserJet 400", "Принтеры").await;
    app.equipment("Dell P2419", "Мониторы").await;
    app.user("agent1", "agent").await;
    app.user("user1", "user").await;
    let driver = Driver::start().await;

    // The admin looks at the dashboard before anything happens.
    let admin = driver.browser(&app.base, "ru").await;
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    admin.open("/ui/stats").await;
    assert_eq!(admin.text("#stat-total").await, "0");

    // A user files a ticket with a photo.
    let user = driver.browser(&app.base, "en").await;
    user.sign_in("user1", USER_PASSWORD).await;
    user.open("/ui/tickets/new").await;
    user.fill("#title", "Printer jams").await;
    user.choose("#category_id", &category.to_string()).await;
    // Only the chosen category's equipment stays on offer.
    let offered = user
        .js("return [...document.querySelectorAll('#equipment_id optgroup')].filter(g => !g.hidden).map(g => g.label)")
        .await;
    assert_eq!(offered, json!(["Принтеры"]));
    user.choose("#equipment_id", &printer.to_string()).await;
    user.fill("#room_number", "204").await;
    user.choose("#priority", "high").await;
    user.fill("#description", "Paper jams on every page").await;
    let files = tempfile::tempdir().expect("temp dir");
    let photo = files.path().join("jam.png");
    std::fs::write(&photo, PNG).expect("photo written");
    user.find("#attachments")
        .await
        .send_keys(&photo.display().to_string())
        .await
        .expect("file chosen");
    user.screenshot("new-ticket").await;
    user.click("#submit-ticket").await;
    user.wait_for_text("#flash", "Ticket filed").await;
    let path = user.path().await;
    let id: i64 = path
        .strip_prefix("/ui/tickets/")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("landed on {path}"));
    user.wait_for_text("#attachments", "jam.png").await;
    let stored = app
        .sql(&format!(
            "SELECT file_size FROM attachments WHERE ticket_id = {id}"
        ))
        .await;
    assert_eq!(stored, vec![json!(PNG.len())]);
    assert_eq!(
        app.sql(&format!("SELECT equipment_id FROM tickets WHERE id = {id}"))
            .await,
        vec![json!(printer)]
    );
    // From here on the user's page must change without being reloaded.
    user.js("window.__untouched = 'yes'; return null").await;

    // An agent finds it in the queue, takes it and answers.
    let agent = driver.browser(&app.base, "en").await;
    agent.sign_in("agent1", USER_PASSWORD).await;
    agent.open("/ui/tickets?view=queue").await;
    agent.click(&format!("tr[data-ticket='{id}'] a")).await;
    agent.click("#take").await;
    agent.wait_for_text("#ticket-status", "In progress").await;
    agent.fill("#message", "Replaced the pickup roller").await;
    agent.click("#message-form button").await;
    agent
        .wait_for_text("#thread", "Replaced the pickup roller")
        .await;

    // The answer reaches the user's open page live.
    user.wait_for_text("#thread", "Replaced the pickup roller")
        .await;
    user.wait_for_text("#ticket-status", "In progress").await;
    assert_eq!(user.js("return window.__untouched").await, json!("yes"));
    // News about the ticket on screen is read news: the refresh marks it read.
    let unread_here = format!(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE u.username = 'user1' AND n.related_id = {id} AND n.is_read = false"
    );
    for _ in 0..50 {
        if app.count(&unread_here).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.count(&unread_here).await, 0);
    user.screenshot("ticket-user").await;

    // The agent closes it with a resolution; the user sees that live as well.
    agent
        .fill("#resolution-text", "Roller replaced, test page printed")
        .await;
    agent.click("#close").await;
    agent.wait_for_text("#ticket-status", "Closed").await;
    user.wait_for_text("#ticket-status", "Closed").await;
    user.wait_for_text("#resolution", "Roller replaced").await;
    assert_eq!(user.js("return window.__untouched").await, json!("yes"));

    // The admin's dashboard has moved, and the audit log has every step.
    admin.open("/ui/stats").await;
    assert_eq!(admin.text("#stat-total").await, "1");
    // Closed within minutes: said in minutes, in words, not "0.0".
    let average = admin.text("#stat-avg").await;
    assert!(average.ends_with("мин"), "{average}");
    // The period the agents' figures cover is picked on the page.
    admin.choose("#days", "7").await;
    admin.click("#period-form button").await;
    admin.wait_for_text("#agents-heading", "(7 ").await;
    assert_eq!(admin.js("return location.search").await, json!("?days=7"));
    assert_eq!(
        admin
            .js("return document.querySelector('#days').value")
            .await,
        json!("7")
    );
    let caption =
        |chart: &str| format!("return document.querySelector('{chart} figcaption').textContent");
    assert_eq!(
        admin.js(&caption("#status-mix")).await,
        json!("Новая: 0, В работе: 0, Закрыта: 1")
    );
    assert_eq!(
        admin.js(&caption("#priority-mix")).await,
        json!("Низкий: 0, Средний: 0, Высокий: 1")
    );
    admin.screenshot("statistics").await;
    admin
        .open(&format!("/ui/audit?entity=ticket&entity_id={id}"))
        .await;
    admin.wait_for_text("#audit", "Создание").await;
    admin.wait_for_text("#audit", "Изменение").await;
    admin.wait_for_text("#audit", "agent1").await;
    admin.screenshot("audit").await;

    // The user's notifications list what happened, and can be marked read.
    user.open("/ui/notifications").await;
    user.screenshot("notifications").await;
    user.click("#read-all").await;
    user.wait_for_text("#flash", "Marked read").await;
    assert_eq!(
        user.js("return document.querySelector('#unread').hidden")
            .await,
        json!(true)
    );

    for b in [admin, user, agent] {
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_says_why_and_keeps_the_name() {
    let app = TestApp::spawn().await;
    app.user("user1", "user").await;
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.open("/ui/login").await;
    b.fill("#username", "user1").await;
    b.fill("#password", "not-the-password").await;
    b.click("form[action='/ui/login'] button[type=submit]")
        .await;
    b.wait_for_text("#login-error", "Wrong username or password")
        .await;
    assert_eq!(b.path().await, "/ui/login");
    assert_eq!(
        b.js("return document.querySelector('#username').value")
            .await,
        json!("user1")
    );
    // The refusal is in the audit log.
    let failures = app
        .count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN_FAILED'")
        .await;
    assert_eq!(failures, 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_form_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    let ticket = app.ticket(&u.token, "Broken chair").await;
    let id = ticket["id"].as_i64().expect("id");
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("user1", USER_PASSWORD).await;
    b.open(&format!("/ui/tickets/{id}")).await;
    b.js("document.querySelector('#message-form input[name=csrf]').value = 'forged'; return null")
        .await;
    b.fill("#message", "This must not be posted").await;
    b.click("#message-form button").await;
    b.wait_for_text("#error-message", "another site").await;
    assert_eq!(b.text("h1").await, "403");
    let posted = app
        .count(&format!(
            "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = {id}"
        ))
        .await;
    assert_eq!(posted, 0);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_above_a_role_are_forbidden() {
    let app = TestApp::spawn().await;
    app.user("user1", "user").await;
    app.user("agent1", "agent").await;
    let driver = Driver::start().await;
    let user = driver.browser(&app.base, "en").await;
    user.sign_in("user1", USER_PASSWORD).await;
    for page in ["/ui/users", "/ui/stats", "/ui/audit", "/ui/categories"] {
        user.open(page).await;
        assert_eq!(user.text("h1").await, "403", "{page}");
        user.wait_for_text("#error-message", "Only").await;
    }
    // The navigation does not offer what the role cannot open.
    user.open("/ui/tickets").await;
    let nav = user.text("header nav").await;
    assert!(
        !nav.contains("Users") && !nav.contains("Statistics"),
        "{nav}"
    );
    let agent = driver.browser(&app.base, "en").await;
    agent.sign_in("agent1", USER_PASSWORD).await;
    agent.open("/ui/stats").await;
    assert_eq!(agent.text("h1").await, "403");
    agent.open("/ui/equipment/new").await;
    agent.find("form.stack").await;
    for b in [user, agent] {
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_session_sends_the_browser_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    let u = app.user("user1", "user").await;
    let driver = Driver::start().await;
    let b = driver.browser(&app.base, "en").await;
    b.sign_in("user1", USER_PASSWORD).await;
    // An admin deactivates and reactivates the account: its sessions end.
    app.end_sessions_of(u.id).await;
    b.open("/ui/notifications").await;
    b.wait_for_text("main", "Your session has ended").await;
    assert_eq!(b.path().await, "/ui/login");
    b.fill("#username", "user1").await;
    b.fill("#password", USER_PASSWORD).await;
    b.click("form[action='/ui/login'] button[type=submit]")
        .await;
    b.find("#notification-list").await;
    assert_eq!(b.path().await, "/ui/notifications");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_follows_the_browser_until_switched() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    let ru = driver.browser(&app.base, "ru-RU").await;
    ru.open("/ui/login").await;
    assert_eq!(ru.text("h1").await, "Войти");
    let en = driver.browser(&app.base, "en-US").await;
    en.open("/ui/login").await;
    assert_eq!(en.text("h1").await, "Sign in");
    en.click("form[action='/ui/lang'] button").await;
    en.wait_for_text("h1", "Войти").await;
    en.sign_in("admin", ADMIN_PASSWORD).await;
    en.wait_for_text("header nav", "Заявки").await;
    for b in [ru, en] {
        b.close().await;
    }
}
