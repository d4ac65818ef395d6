//! Every page of every role, on a desktop and on a phone, in both languages and in the dark
//! scheme: nothing is wider than the screen, and axe-core finds no serious or critical
//! accessibility problem. The README's screenshots are taken here.

use fixdesk_tests::{ADMIN_PASSWORD, TestApp, USER_PASSWORD};
use reqwest::Method;
use serde_json::json;

use crate::harness::{Browser, Driver, Screen};

/// A desk with something on every page: a ticket with a thread and a photo, equipment with a
/// maintenance record, notifications, an audit trail.
struct Desk {
    ticket: i64,
    equipment: i64,
    agent: i64,
    kept_mail: i64,
}

async fn desk(app: &TestApp) -> Desk {
    let printers = app.category("Принтеры").await;
    // Service levels, so lists and tickets show their due badges.
    app.round_the_clock_policy(json!({"first_response_minutes": 60, "resolution_minutes": 480}))
        .await;
    let equipment = app.equipment("HP LaserJet 400", "Принтеры").await;
    let agent = app.user("agent1", "agent").await;
    let user = app.user("user1", "user").await;
    // A rule handing printers to the agent, and a day the agent is away (the rule is switched
    // off so the ticket below waits in the queue for the agent to take).
    let today = chrono::Utc::now().date_naive().to_string();
    let admin = app.admin_token().await;
    for (path, body) in [
        (
            "/api/v1/assignment-rules/".to_string(),
            json!({"category_id": printers, "strategy": "round_robin", "agent_ids": [agent.id], "enabled": false}),
        ),
        (
            format!("/api/v1/users/{}/absences", agent.id),
            json!({"starts_on": today, "ends_on": today, "note": "Учёба"}),
        ),
    ] {
        let (status, body) = app
            .call(Method::POST, &path, Some(&admin), Some(body))
            .await;
        assert!(status.is_success(), "{body}");
    }
    let ticket = app.ticket(&user.token, "Принтер замял бумагу").await["id"]
        .as_i64()
        .expect("id");
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{ticket}/assign"),
            Some(&agent.token),
            Some(json!({})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/equipment/{equipment}/maintenance"),
            Some(&agent.token),
            Some(json!({"maintenance_type": "repair", "description": "Замена ролика"})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    // An internal note, marked on the agent's page, and an answer, which the service-level
    // statistics count.
    for (text, internal) in [
        ("Проверить ролик подачи", true),
        ("Заменим ролик сегодня", false),
    ] {
        let (status, body) = app
            .call(
                Method::POST,
                &format!("/api/v1/tickets/{ticket}/messages"),
                Some(&agent.token),
                Some(json!({"message": text, "internal": internal})),
            )
            .await;
        assert!(status.is_success(), "{body}");
    }
    // A colleague's mail kept for want of proof of its sender, for the admin's mail pages.
    app.person("mail_agent", "agent").await;
    let kept = app
        .service
        .operator()
        .deliver_mail(
            "From: Мария <mail_agent@school.example>\r\nTo: desk@school.example\r\nSubject: Проектор в актовом зале\r\nMessage-ID: <kept@school.example>\r\n\r\nЛампа перегорела, заменю завтра утром.\r\n".as_bytes(),
        )
        .await
        .expect("delivered");
    assert_eq!(kept.as_str(), "kept");
    let kept_mail = app.count("SELECT MAX(id) FROM inbound_mail").await;
    Desk {
        ticket,
        equipment,
        agent: agent.id,
        kept_mail,
    }
}

/// Opens each page and collects what is wrong with it.
async fn check(b: &Browser, pages: &[String], label: &str, failures: &mut Vec<String>) {
    for page in pages {
        b.open(page).await;
        b.find("main").await;
        for problem in b.accessibility_problems().await {
            failures.push(format!("{label} {page}: {problem}"));
        }
        let overflow = b.overflow().await;
        if overflow > 0 {
            let widest = b.widest().await;
            failures.push(format!(
                "{label} {page}: {overflow}px wider than the screen ({widest})"
            ));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_every_role_fits_the_screen_and_passes_axe() {
    let app = TestApp::spawn().await;
    let d = desk(&app).await;
    let (t, e) = (d.ticket, d.equipment);
    let user_pages: Vec<String> = vec![
        "/ui/tickets".into(),
        format!("/ui/tickets/{t}"),
        "/ui/tickets/new".into(),
        "/ui/equipment".into(),
        format!("/ui/equipment/{e}"),
        "/ui/notifications".into(),
        "/ui/account".into(),
        "/ui/search?q=%D1%80%D0%BE%D0%BB%D0%B8%D0%BA".into(),
        "/ui/users".into(), // refused: the error page is a page too
    ];
    let agent_pages: Vec<String> = vec![
        "/ui/tickets".into(),
        "/ui/tickets?view=overdue".into(),
        "/ui/tickets?view=due_today".into(),
        format!("/ui/tickets/{t}"),
        format!("/ui/tickets/{t}?edit=1"),
        "/ui/equipment/new".into(),
        "/ui/assignment".into(),
        "/ui/canned".into(),
        "/ui/equipment".into(),
        "/ui/equipment/health".into(),
        format!("/ui/equipment/labels?ids={e}"),
        format!("/ui/equipment/{e}/edit"),
        "/ui/notifications".into(),
        "/ui/search?q=%D1%80%D0%BE%D0%BB%D0%B8%D0%BA".into(),
    ];
    let admin_pages: Vec<String> = vec![
        "/ui/tickets?view=all".into(),
        format!("/ui/tickets/{t}"),
        "/ui/users".into(),
        "/ui/users/new".into(),
        format!("/ui/users/{}", d.agent),
        "/ui/categories".into(),
        "/ui/service-levels".into(),
        "/ui/assignment".into(),
        "/ui/audit".into(),
        "/ui/mail".into(),
        format!("/ui/mail/{}", d.kept_mail),
        "/ui/stats".into(),
        "/ui/account".into(),
    ];
    let driver = Driver::start().await;
    let mut failures = Vec::new();
    for (screen, lang) in [(Screen::Desktop, "en"), (Screen::Phone, "ru")] {
        let label = format!("{}/{lang}", screen.name());
        let anonymous = driver.browser_sized(&app.base, lang, screen).await;
        check(&anonymous, &["/ui/login".into()], &label, &mut failures).await;
        anonymous
            .screenshot(&format!("login-{}", screen.name()))
            .await;
        anonymous.close().await;
        for (name, password, pages) in [
            ("user1", USER_PASSWORD, &user_pages),
            ("agent1", USER_PASSWORD, &agent_pages),
            ("admin", ADMIN_PASSWORD, &admin_pages),
        ] {
            let b = driver.browser_sized(&app.base, lang, screen).await;
            b.sign_in(name, password).await;
            check(&b, pages, &format!("{label} {name}"), &mut failures).await;
            if name == "agent1" {
                b.open("/ui/tickets").await;
                b.screenshot(&format!("agent-list-{}", screen.name())).await;
                b.open(&format!("/ui/tickets/{t}")).await;
                b.screenshot(&format!("agent-ticket-{}", screen.name()))
                    .await;
            }
            b.close().await;
        }
    }
    // The dark scheme has its own colours: its contrast is checked too.
    let dark = driver.dark_browser(&app.base, "ru", Screen::Desktop).await;
    dark.sign_in("agent1", USER_PASSWORD).await;
    let dark_pages = [
        "/ui/tickets".to_string(),
        format!("/ui/tickets/{t}"),
        format!("/ui/equipment/{e}"),
        "/ui/search?q=%D1%80%D0%BE%D0%BB%D0%B8%D0%BA".into(),
    ];
    check(&dark, &dark_pages, "dark", &mut failures).await;
    assert_eq!(
        dark.js("return getComputedStyle(document.body).backgroundColor")
            .await,
        json!("rgb(20, 24, 29)"),
        "the dark scheme applies"
    );
    // The working list (the pages above left "due today" remembered).
    dark.open("/ui/tickets?view=work").await;
    dark.screenshot("agent-list-dark").await;
    dark.close().await;
    let phone_dark = driver.dark_browser(&app.base, "ru", Screen::Phone).await;
    phone_dark.sign_in("agent1", USER_PASSWORD).await;
    phone_dark.open(&format!("/ui/tickets/{t}")).await;
    phone_dark.screenshot("agent-ticket-phone-dark").await;
    phone_dark.close().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_ticket_shows_its_thread_first_and_folds_the_rest() {
    let app = TestApp::spawn().await;
    let d = desk(&app).await;
    let driver = Driver::start().await;
    let b = driver.browser_sized(&app.base, "ru", Screen::Phone).await;
    b.sign_in("agent1", USER_PASSWORD).await;
    b.open(&format!("/ui/tickets/{}", d.ticket)).await;
    // The service levels are one folded line with their badges; the thread and the reply
    // come next, the work on the ticket after them.
    let order = b
        .js(
            "const top = s => document.querySelector(s).getBoundingClientRect().top; \
             return [document.querySelector('#due').open, top('#due') < top('#thread'), \
                     top('#message') < top('#close'), \
                     top('#message') < window.innerHeight * 2.2]",
        )
        .await;
    assert_eq!(
        order,
        json!([false, true, true, true]),
        "thread first, the rest after"
    );
    b.click("#due summary").await;
    b.wait_for_text("#due", "Первый ответ").await;
    assert!(b.find("#due-explained").await.is_displayed().await.unwrap());
    // The header keeps the sections it does not show in one menu.
    let header = b
        .js("return document.querySelector('header.top').getBoundingClientRect().height")
        .await;
    assert!(header.as_f64().unwrap() < 170.0, "header {header}px tall");
    b.click("#more-menu summary").await;
    b.click("#more-menu a[href='/ui/assignment']").await;
    b.find("#rules-heading").await;
    // A requester's phone puts the thread and the reply first; "it's solved" is folded after.
    let r = driver.browser_sized(&app.base, "ru", Screen::Phone).await;
    r.sign_in("user1", USER_PASSWORD).await;
    r.open(&format!("/ui/tickets/{}", d.ticket)).await;
    let order = r
        .js(
            "const top = s => document.querySelector(s).getBoundingClientRect().top; \
             return [top('#message') < top('#solved'), document.querySelector('#solved').open, \
                     !document.querySelector('#resolution-text').checkVisibility()]",
        )
        .await;
    assert_eq!(
        order,
        json!([true, false, true]),
        "reply first, closing folded"
    );
    r.click("#solved summary").await;
    r.fill("#resolution-text", "Перезагрузил, заработало").await;
    r.click("#close").await;
    r.wait_for_text("#ticket-status", "Закрыта").await;
    r.close().await;
    // The list is cards: room, author and date are on the card, not beyond the screen.
    b.open("/ui/tickets?view=all").await;
    let card = b.text(&format!("tr[data-ticket='{}']", d.ticket)).await;
    assert!(
        card.contains("101") && card.contains("user1 full"),
        "{card}"
    );
    let labelled = b
        .js(
            "const td = document.querySelector('#tickets tbody td[data-label=\"Кабинет\"]'); \
             return getComputedStyle(td, '::before').content",
        )
        .await;
    assert_eq!(
        labelled,
        json!("\"Кабинет: \""),
        "each value says what it is"
    );
    assert!(b.overflow().await <= 0);
    b.close().await;
}
