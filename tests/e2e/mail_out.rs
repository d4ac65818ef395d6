//! Mail out, delivered to a real SMTP server on 127.0.0.1 (the harness's sink): each person's
//! choice per kind, their language, the ticket's subject tag and thread headers, a reply to a
//! mail landing on its ticket through the gateway, bounces that stop further tries, digests
//! that wait for their hour, a busy server retried by the job queue, and no mail at all when
//! none is configured.

use chrono::Duration;
use fixdesk_tests::{TestApp, settings_for, smtp_sink::SmtpSink};
use mail_parser::{Message, MessageParser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// An app that mails through `sink`, sweeping every second.
async fn app_mailing_to(sink: &SmtpSink) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let settings = sink.mailing(settings_for(dir.path()));
    TestApp::spawn_with(settings, dir).await
}

fn parsed(data: &str) -> Message<'_> {
    MessageParser::default().parse(data.as_bytes()).unwrap()
}

fn header(m: &Message<'_>, name: &str) -> String {
    m.header_raw(name).unwrap_or_default().trim().to_string()
}

async fn choose(app: &TestApp, token: &str, choices: Value) -> Value {
    let (status, body) = app
        .call(
            Method::PUT,
            "/api/v1/notifications/mail",
            Some(token),
            Some(choices),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn each_person_gets_the_mail_they_chose_in_their_language_threaded_by_ticket() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink).await;
    let admin = app.admin_token().await;
    let (requester_id, requester) = app.person("mo_requester", "user").await;
    let (agent_id, agent) = app.person("mo_agent", "agent").await;
    let (_, boss) = app.person("mo_admin", "admin").await;
    app.exec(&format!(
        "INSERT INTO user_preferences (user_id, language, updated_at) VALUES ({requester_id}, 'en', '2026-12-02 00:00:00')"
    ))
    .await;

    // Everyone manages their own choices; strangers are refused, bad values named.
    assert_eq!(
        app.status(Method::GET, "/api/v1/notifications/mail", None, None)
            .await,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = app
        .call(
            Method::PUT,
            "/api/v1/notifications/mail",
            Some(&agent),
            Some(json!({"ticket_created": "weekly", "nonsense": "off"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"].as_array().map(Vec::len), Some(2), "{body}");
    let mine = choose(&app, &agent, json!({"ticket_created": "off"})).await;
    assert_eq!(mine["enabled"], true);
    assert_eq!(mine["address"], "mo_agent@school.example");
    assert_eq!(mine["mail"]["ticket_created"], "off");
    assert_eq!(mine["mail"]["ticket_assigned"], "instant");
    let (_, theirs) = app
        .call(Method::GET, "/api/v1/notifications/mail", Some(&boss), None)
        .await;
    assert_eq!(theirs["mail"]["ticket_created"], "instant", "{theirs}");
    // The first sweep places itself after the history: nothing before it is mailed.
    app.jobs_settled().await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.jobs_settled().await;

    // A new ticket: the second admin hears of it by mail (in Russian, no language chosen); the
    // agent switched that kind off, the first admin has no address.
    let ticket = app.ticket(&requester, "Проектор мигает").await;
    let id = ticket["id"].as_i64().unwrap();
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, vec!["mo_admin@school.example".to_string()]);
    let first = parsed(&mails[0].data);
    assert_eq!(
        first.subject(),
        Some(format!("[#{id}] Проектор мигает").as_str())
    );
    assert!(
        first
            .body_text(0)
            .unwrap()
            .starts_with(&format!("Новая заявка #{id}")),
        "{:?}",
        first.body_text(0)
    );

    // Assigned to the agent: the agent's mail.
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/tickets/{id}/assign/{agent_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Taking it to work also moved its status, which the requester hears of.
    let mails = sink.wait_for(3).await;
    let mut to: Vec<&str> = mails[1..].iter().map(|m| m.to[0].as_str()).collect();
    to.sort_unstable();
    assert_eq!(
        to,
        ["mo_agent@school.example", "mo_requester@school.example"]
    );

    // The agent writes: the requester's mail, in English, tagged, threaded, text and HTML.
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&agent),
            Some(json!({"message": "Заменим лампу <завтра>"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mails = sink.wait_for(4).await;
    assert_eq!(mails[3].to, vec!["mo_requester@school.example".to_string()]);
    let mail = parsed(&mails[3].data);
    assert_eq!(
        mail.subject(),
        Some(format!("[#{id}] Проектор мигает").as_str())
    );
    let text = mail.body_text(0).unwrap();
    assert!(
        text.starts_with(&format!("New message on ticket #{id}")),
        "{text}"
    );
    assert!(text.contains("Заменим лампу <завтра>"), "{text}");
    assert!(
        text.contains(&format!("https://desk.example.org/ui/tickets/{id}")),
        "{text}"
    );
    let html = mail.body_html(0).unwrap();
    assert!(html.contains("Заменим лампу &lt;завтра&gt;"), "{html}");
    let message_id = header(&mail, "Message-ID");
    assert!(
        message_id.starts_with(&format!("<ticket-{id}.n")),
        "{message_id}"
    );
    let root = format!("<ticket-{id}@desk.example.org>");
    assert_eq!(header(&mail, "In-Reply-To"), root);
    assert_eq!(header(&mail, "References"), root);
    assert_eq!(header(&mail, "Auto-Submitted"), "auto-generated");
    assert!(
        header(&mail, "From").contains("desk@example.org"),
        "{}",
        header(&mail, "From")
    );

    // The requester answers the mail; the client dropped the tag from the subject, the
    // In-Reply-To header still finds the ticket.
    let reply = format!(
        "From: mo_requester@school.example\r\nSubject: Re: Projector\r\nMessage-ID: <answer-1@school.example>\r\nIn-Reply-To: {message_id}\r\n\r\nThank you!\r\n"
    );
    let (status, body) = {
        let r = app
            .req(Method::POST, "/api/v1/mail/inbound", Some(&admin))
            .header("Content-Type", "application/octet-stream")
            .body(reply)
            .send()
            .await
            .unwrap();
        fixdesk_tests::status_json(r).await
    };
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ticket_id"], id, "{body}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = {id} AND message = 'Thank you!'"
        ))
        .await,
        1
    );
}

/// The holder of `token` sends themself a test notification.
async fn test_notice(app: &TestApp, token: &str) -> StatusCode {
    app.status(
        Method::POST,
        "/api/v1/notifications/send-test",
        Some(token),
        None,
    )
    .await
}

#[tokio::test]
async fn bounces_stop_mail_digests_wait_for_their_hour_and_a_busy_server_is_retried() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink).await;
    let (_, gone) = app.person("mo_gone", "user").await;
    let (_, digest) = app.person("mo_digest", "user").await;
    let (_, patient) = app.person("mo_patient", "user").await;
    sink.refuse("mo_gone@school.example");
    choose(&app, &digest, json!({"system": "hourly"})).await;
    app.jobs_settled().await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.jobs_settled().await;

    // A refused address is marked after one try and not tried again.
    assert_eq!(test_notice(&app, &gone).await, StatusCode::OK);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let bounced = loop {
        let (_, mine) = app
            .call(Method::GET, "/api/v1/notifications/mail", Some(&gone), None)
            .await;
        if mine["bounced"].is_string() {
            break mine;
        }
        assert!(std::time::Instant::now() < deadline, "{mine}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        bounced["bounced"].as_str().unwrap().contains("550"),
        "{bounced}"
    );
    assert_eq!(test_notice(&app, &gone).await, StatusCode::OK);

    // Two notices for the hourly digest, then one for a person mailed at once: only the
    // latter arrives (which also shows the sweeps after the bounce have run).
    assert_eq!(test_notice(&app, &digest).await, StatusCode::OK);
    assert_eq!(test_notice(&app, &digest).await, StatusCode::OK);
    assert_eq!(test_notice(&app, &patient).await, StatusCode::OK);
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, vec!["mo_patient@school.example".to_string()]);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.jobs_settled().await;
    assert_eq!(sink.mails().len(), 1);
    assert_eq!(sink.attempts_for("mo_gone@school.example"), 1);

    // The hour ends: one digest with both.
    app.service.advance_clock(Duration::hours(1));
    let mails = sink.wait_for(2).await;
    assert_eq!(mails[1].to, vec!["mo_digest@school.example".to_string()]);
    let digest_mail = parsed(&mails[1].data);
    assert_eq!(
        digest_mail.subject(),
        Some("Сводка уведомлений (2)"),
        "{}",
        mails[1].data
    );

    // A busy server: the job fails with the server's answer, waits, and is sent on retry.
    sink.set_busy(true);
    assert_eq!(test_notice(&app, &patient).await, StatusCode::OK);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let failure = loop {
        let errors = app
            .sql("SELECT last_error FROM jobs WHERE kind = 'mail_send' AND last_error IS NOT NULL")
            .await;
        if let Some(e) = errors.first() {
            break e.clone();
        }
        assert!(std::time::Instant::now() < deadline, "no failed attempt");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(failure.as_str().unwrap().contains("451"), "{failure}");
    sink.set_busy(false);
    let mails = sink.wait_for(3).await;
    assert_eq!(mails[2].to, vec!["mo_patient@school.example".to_string()]);
}

#[tokio::test]
async fn without_a_mail_server_nothing_is_queued_and_people_are_told() {
    let app = TestApp::spawn().await;
    let (_, user) = app.person("mo_quiet", "user").await;
    let (_, mine) = app
        .call(Method::GET, "/api/v1/notifications/mail", Some(&user), None)
        .await;
    assert_eq!(mine["enabled"], false, "{mine}");
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/notifications/send-test",
            Some(&user),
            None
        )
        .await,
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE kind LIKE 'mail%'")
            .await,
        0
    );
    let page = app
        .page(Method::GET, "/ui/notifications", &user)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"mail-off\""), "{page}");
    assert!(!page.contains("name=\"mail_ticket_message\""));
}
