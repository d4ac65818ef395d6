//! Mail into tickets (`fixdesk-migrate mailgate`, here through the operator handle it calls):
//! fixture messages — plain, HTML only, with attachments, replies by tag and by
//! `In-Reply-To`, an auto-reply, a duplicate, a malformed one, strangers — become the right
//! tickets and messages, and nothing is lost or done twice.

use fixdesk_service::domain::mail::MailOutcome;
use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;

async fn deliver(app: &TestApp, raw: &str) -> MailOutcome {
    app.service
        .operator()
        .deliver_mail(raw.replace('\n', "\r\n").as_bytes())
        .await
        .unwrap()
}

async fn ticket(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, t) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    t
}

async fn messages(app: &TestApp, token: &str, id: i64) -> Vec<String> {
    let (_, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/messages"),
            Some(token),
            None,
        )
        .await;
    body.as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"].as_str().unwrap().to_owned())
        .collect()
}

const PLAIN: &str = "From: Anna <Anna_Mail@School.example>
To: desk@school.example
Subject: =?UTF-8?B?0J/RgNC40L3RgtC10YAg0L3QtSDQv9C10YfQsNGC0LDQtdGC?=
Message-ID: <first@mail.school.example>
Date: Wed, 02 Dec 2026 09:00:00 +0300
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Горит красная лампа, кабинет 214.
";

#[tokio::test]
async fn mail_opens_tickets_and_replies_become_messages() {
    let app = TestApp::spawn().await;
    let (anna, anna_token) = app.person("anna_mail", "user").await;
    let (_, boris_token) = app.person("boris_mail", "user").await;
    let (_, agent_token) = app.person("agent_mail", "agent").await;

    // A plain message from a known address (any case): a ticket in the sender's name, the
    // encoded subject decoded.
    let MailOutcome::Ticket(id) = deliver(&app, PLAIN).await else {
        panic!("a ticket")
    };
    let t = ticket(&app, &anna_token, id).await;
    assert_eq!(t["title"], "Принтер не печатает");
    assert_eq!(t["description"], "Горит красная лампа, кабинет 214.");
    assert_eq!(t["creator_id"], anna);

    // The same message delivered again does nothing again.
    assert!(matches!(
        deliver(&app, PLAIN).await,
        MailOutcome::Duplicate(_)
    ));
    let (_, list) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&anna_token), None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // A reply by tag: a message without the quoted history and the signature.
    let reply = format!(
        "From: anna_mail@school.example
Subject: Re: [#{id}] Принтер не печатает
Message-ID: <second@mail.school.example>
Content-Type: text/plain; charset=utf-8

Лампа снова горит.

2 дек. 2026 г., в 10:00, Desk <desk@school.example> пишет:
> Проверьте картридж
-- 
Анна
"
    );
    assert_eq!(deliver(&app, &reply).await, MailOutcome::Message(id));
    assert_eq!(
        messages(&app, &anna_token, id).await,
        ["Лампа снова горит."]
    );

    // A reply by In-Reply-To alone (the requester's client dropped the tag).
    let threaded = "From: anna_mail@school.example
Subject: Re: your printer
In-Reply-To: <first@mail.school.example>
Message-ID: <third@mail.school.example>
Content-Type: text/plain

It jams on page two.
";
    assert_eq!(deliver(&app, threaded).await, MailOutcome::Message(id));
    assert_eq!(messages(&app, &agent_token, id).await.len(), 2);

    // Staff mail without proof of its sender is kept for an admin, not posted as staff.
    let unproven = "From: agent_mail@school.example
Subject: Re: your printer
In-Reply-To: <first@mail.school.example>
Message-ID: <fourth@mail.school.example>
Content-Type: text/plain

Coming at 2 pm.
";
    assert!(matches!(
        deliver(&app, unproven).await,
        MailOutcome::Kept(why) if why.contains("without proof")
    ));
    assert_eq!(messages(&app, &agent_token, id).await.len(), 2);
    // An admin who checked with the agent delivers it after all.
    let admin = app.admin_token().await;
    let (_, kept) = app
        .call(
            Method::GET,
            "/api/v1/mail/inbound?outcome=kept",
            Some(&admin),
            None,
        )
        .await;
    let kept_id = kept[0]["id"].as_i64().unwrap();
    let (status, outcome) = app
        .call(
            Method::POST,
            &format!("/api/v1/mail/inbound/{kept_id}/redeliver"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["outcome"], "message");
    assert_eq!(
        messages(&app, &agent_token, id)
            .await
            .last()
            .map(String::as_str),
        Some("Coming at 2 pm.")
    );

    // Someone else's ticket: refused, nothing written.
    let intruder = format!(
        "From: boris_mail@school.example\nSubject: [#{id}] mine now\nMessage-ID: <x1@b>\n\nHello\n"
    );
    assert!(matches!(
        deliver(&app, &intruder).await,
        MailOutcome::Refused(_)
    ));
    assert_eq!(messages(&app, &agent_token, id).await.len(), 3);
    let (_, list) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&boris_token), None)
        .await;
    assert!(list.as_array().unwrap().is_empty());

    // A stranger is refused; an auto-reply is recorded and ignored.
    assert_eq!(
        deliver(
            &app,
            "From: who@else.example\nSubject: hi\nMessage-ID: <s@x>\n\nhi\n"
        )
        .await,
        MailOutcome::UnknownSender("who@else.example".into())
    );
    let auto = "From: anna_mail@school.example
Subject: Out of office
Auto-Submitted: auto-replied
Message-ID: <ooo@mail.school.example>

I am away.
";
    assert!(matches!(deliver(&app, auto).await, MailOutcome::Ignored(_)));
    let (_, list) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&anna_token), None)
        .await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "no ticket from the auto-reply"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbound_mail").await,
        7,
        "each message is recorded once (its duplicate delivery adds nothing)"
    );
}

#[tokio::test]
async fn html_attachments_and_broken_mail() {
    let app = TestApp::spawn().await;
    let (_, token) = app.person("html_mail", "user").await;
    let html = "From: html_mail@school.example
Subject: Projector
Message-ID: <html@x>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"b1\"

--b1
Content-Type: text/html; charset=utf-8

<html><body><p>The <b>projector</b> in the hall flickers.</p><script>alert(1)</script></body></html>
--b1
Content-Type: text/plain; name=\"log.txt\"
Content-Disposition: attachment; filename=\"log.txt\"

lamp hours: 4312
--b1
Content-Type: application/octet-stream; name=\"tool.exe\"
Content-Disposition: attachment; filename=\"tool.exe\"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
--b1--
";
    let MailOutcome::Ticket(id) = deliver(&app, html).await else {
        panic!("a ticket")
    };
    let t = ticket(&app, &token, id).await;
    let description = t["description"].as_str().unwrap();
    assert!(
        description.contains("projector in the hall flickers"),
        "{description}"
    );
    assert!(!description.contains('<'), "no markup: {description}");
    // The text file went through the upload checks onto the ticket; the program did not.
    let (_, files) = app
        .call(
            Method::GET,
            &format!("/api/v1/attachments/{id}"),
            Some(&token),
            None,
        )
        .await;
    let names: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["filename"].as_str())
        .collect();
    assert_eq!(names, ["log.txt"], "{files}");

    // Not a message at all: kept whole for an admin, the same bytes twice kept once.
    let garbage = "this is not\u{0} an e-mail";
    assert!(matches!(deliver(&app, garbage).await, MailOutcome::Kept(_)));
    assert!(matches!(
        deliver(&app, garbage).await,
        MailOutcome::Duplicate(_)
    ));
    let kept = app
        .sql("SELECT outcome, length(raw) AS n FROM inbound_mail WHERE outcome = 'kept'")
        .await;
    assert_eq!(kept.len(), 1, "{kept:?}");
}

#[tokio::test]
async fn the_mail_host_delivers_over_http_and_admins_see_what_became_of_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, user) = app.person("http_mail", "user").await;
    let (_, agent) = app.person("http_mail_agent", "agent").await;
    let post = |token: Option<String>, raw: &'static str| {
        app.req(Method::POST, "/api/v1/mail/inbound", token.as_deref())
            .header("Content-Type", "application/octet-stream")
            .body(raw.replace('\n', "\r\n"))
            .send()
    };
    let raw = "From: http_mail@school.example\nSubject: Kettle\nMessage-ID: <k@x>\n\nBroken\n";
    for (who, want) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(user.clone()), StatusCode::FORBIDDEN),
        (Some(agent.clone()), StatusCode::FORBIDDEN),
    ] {
        assert_eq!(post(who, raw).await.unwrap().status(), want);
    }
    let r = post(Some(admin.clone()), raw).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["outcome"], "ticket", "{body}");
    let id = body["ticket_id"].as_i64().unwrap();
    assert_eq!(ticket(&app, &user, id).await["title"], "Kettle");

    // Something unreadable is kept; admins list it and read it whole.
    let r = post(Some(admin.clone()), "\u{1}\u{2} not mail")
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["outcome"], "kept", "{body}");
    for (token, want) in [
        (&user, StatusCode::FORBIDDEN),
        (&agent, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(
            app.status(Method::GET, "/api/v1/mail/inbound", Some(token), None)
                .await,
            want
        );
    }
    let (status, list) = app
        .call(
            Method::GET,
            "/api/v1/mail/inbound?outcome=kept",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let kept = list.as_array().unwrap();
    assert_eq!(kept.len(), 1, "{list}");
    assert_eq!(kept[0]["kept"], true);
    let mail_id = kept[0]["id"].as_i64().unwrap();
    let r = app
        .req(
            Method::GET,
            &format!("/api/v1/mail/inbound/{mail_id}/raw"),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.bytes().await.unwrap().as_ref(),
        "\u{1}\u{2} not mail".as_bytes()
    );
    // A handled message is not kept whole.
    let (_, all) = app
        .call(
            Method::GET,
            "/api/v1/mail/inbound?outcome=ticket",
            Some(&admin),
            None,
        )
        .await;
    let handled = all[0]["id"].as_i64().unwrap();
    assert_eq!(
        app.status(
            Method::GET,
            &format!("/api/v1/mail/inbound/{handled}/raw"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_desk_that_opens_accounts_for_strangers_files_their_mail_once_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.mail_unknown_senders = "account".into();
    let app = TestApp::spawn_with(settings, dir).await;
    let (gone, _) = app.person("gone_mail", "user").await;
    let admin = app.admin_token().await;
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/users/{gone}"),
            Some(&admin),
            Some(serde_json::json!({"is_active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let first = deliver(
        &app,
        "From: =?utf-8?B?0J/RkdGC0YAg0KHQuNC00L7RgNC+0LI=?= <P.Sidorov@plant.example>\nSubject: Станок 5 стоит\nMessage-ID: <s1@plant.example>\n\nНе запускается\n",
    )
    .await;
    let MailOutcome::Ticket(ticket) = first else {
        panic!("{first:?}")
    };
    let again = deliver(
        &app,
        "From: p.sidorov@plant.example\nSubject: Станок 6 тоже\nMessage-ID: <s2@plant.example>\n\nТоже\n",
    )
    .await;
    assert!(
        matches!(again, MailOutcome::Ticket(t) if t != ticket),
        "{again:?}"
    );
    let accounts = app
        .sql("SELECT username || '|' || role || '|' || COALESCE(full_name, '') FROM users WHERE email = 'p.sidorov@plant.example'")
        .await;
    assert_eq!(accounts, vec![Value::from("p.sidorov|user|Пётр Сидоров")]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(DISTINCT creator_id) FROM tickets WHERE id >= {ticket}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE description LIKE '%p.sidorov%'")
            .await,
        1
    );
    // A deactivated account is not replaced by a new one: its mail is refused.
    let refused = deliver(
        &app,
        "From: gone_mail@school.example\nSubject: Hello\nMessage-ID: <g1@school.example>\n\nHi\n",
    )
    .await;
    assert_eq!(
        refused,
        MailOutcome::UnknownSender("gone_mail@school.example".into())
    );
}
