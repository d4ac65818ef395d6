//! Mail in that cannot be faked or lost: a staff address acts as staff only with proof (the
//! reply token the desk mailed that person, or the believed mail host's verdict), and every
//! message ends in exactly one recorded outcome stored with what it brought — the person's
//! words wherever they stand beside the quote, files alone, hostile headers, too many files,
//! and a storage failure that the mail host's next delivery gets past.

use fixdesk_service::{ServiceError, domain::mail::MailOutcome};
use fixdesk_tests::{TestApp, on_postgres, settings_for, smtp_sink::SmtpSink};
use mail_parser::MessageParser;
use reqwest::Method;

async fn try_deliver(app: &TestApp, raw: &str) -> Result<MailOutcome, ServiceError> {
    app.service
        .operator()
        .deliver_mail(raw.replace('\n', "\r\n").as_bytes())
        .await
}

async fn deliver(app: &TestApp, raw: &str) -> MailOutcome {
    try_deliver(app, raw).await.expect("delivered")
}

fn kept_without_proof(outcome: &MailOutcome) -> bool {
    matches!(outcome, MailOutcome::Kept(why) if why.contains("without proof"))
}

async fn messages_on(app: &TestApp, ticket: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = {ticket}"
    ))
    .await
}

/// A one-pixel PNG, as a phone's photo would be for the upload checks.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

#[tokio::test]
async fn a_staff_reply_acts_as_staff_only_with_the_token_the_desk_mailed_that_person() {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(sink.mailing(settings_for(dir.path())), dir).await;
    let (_, requester) = app.person("mt_requester", "user").await;
    let (agent_id, _) = app.person("mt_agent", "agent").await;
    app.person("mt_other", "agent").await;
    app.person("mt_admin", "admin").await;
    // The first sweep places itself after the history.
    app.jobs_settled().await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.jobs_settled().await;

    let first = app.ticket(&requester, "Проектор мигает").await;
    let id = first["id"].as_i64().unwrap();
    let second = app.ticket(&requester, "Принтер").await["id"]
        .as_i64()
        .unwrap();
    let mails = sink.wait_for(6).await;
    let to_agent = mails
        .iter()
        .map(|m| MessageParser::default().parse(m.data.as_bytes()).unwrap())
        .find(|m| {
            m.to().and_then(|a| a.first()).and_then(|a| a.address())
                == Some("mt_agent@school.example")
                && m.subject()
                    .is_some_and(|s| s.starts_with(&format!("[#{id}]")))
        })
        .expect("the agent heard of the ticket");
    let token_id = format!("<{}>", to_agent.message_id().unwrap());
    assert!(
        token_id.contains(&format!(".u{agent_id}.")),
        "the id carries a token for its recipient: {token_id}"
    );
    let reply = |from: &str, subject_ticket: i64, in_reply_to: &str, n: u32| {
        format!(
            "From: {from}\nSubject: Re: [#{subject_ticket}] Проектор\nIn-Reply-To: {in_reply_to}\nMessage-ID: <r{n}@school.example>\n\nЗаменю лампу в 14:00.\n"
        )
    };

    // Someone else with the agent's token, the token altered, the token on another ticket, a
    // faked admin without any: kept for an admin, nothing posted, the clock not stopped.
    let forged = token_id.replacen(".u", ".u9", 1);
    let altered = {
        let at = token_id.rfind('@').unwrap() - 1;
        let flipped = if &token_id[at..=at] == "0" { "1" } else { "0" };
        format!("{}{flipped}{}", &token_id[..at], &token_id[at + 1..])
    };
    for (n, mail) in [
        reply("mt_other@school.example", id, &token_id, 1),
        reply("mt_agent@school.example", id, &altered, 2),
        reply("mt_agent@school.example", id, &forged, 3),
        reply("mt_agent@school.example", second, &token_id, 4),
        reply(
            "mt_admin@school.example",
            id,
            "<ticket-1@desk.example.org>",
            5,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let outcome = deliver(&app, &mail).await;
        assert!(kept_without_proof(&outcome), "mail {n}: {outcome:?}");
    }
    assert_eq!(messages_on(&app, id).await, 0);
    assert_eq!(messages_on(&app, second).await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM tickets WHERE id = {id} AND sla_first_responded_at IS NOT NULL"
        ))
        .await,
        0,
        "no first response was counted"
    );
    // A faked staff sender cannot file tickets either.
    let before = app.count("SELECT COUNT(*) FROM tickets").await;
    let filed = deliver(
        &app,
        "From: mt_admin@school.example\nSubject: Сервер\nMessage-ID: <new@x>\n\nПерезагрузите.\n",
    )
    .await;
    assert!(kept_without_proof(&filed), "{filed:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, before);

    // The agent answering the desk's mail to them: posted in their name.
    let outcome = deliver(&app, &reply("mt_agent@school.example", id, &token_id, 6)).await;
    assert_eq!(outcome, MailOutcome::Message(id));
    let author = app
        .count(&format!(
            "SELECT user_id FROM ticket_messages WHERE ticket_id = {id}"
        ))
        .await;
    assert_eq!(author, agent_id);
    let detail = app
        .sql("SELECT detail FROM inbound_mail WHERE message_id = 'r6@school.example'")
        .await;
    assert_eq!(
        detail,
        vec![serde_json::json!("sender proved by a reply token")]
    );
}

#[tokio::test]
async fn the_believed_mail_hosts_pass_for_the_senders_domain_proves_staff() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_for(dir.path());
    settings.mail_trusted_authserv_id = Some("mx.school.example".into());
    let app = TestApp::spawn_with(settings, dir).await;
    let (agent_id, _) = app.person("ar_agent", "agent").await;
    let mail = |n: u32, results: &str| {
        format!(
            "Authentication-Results: {results}\nFrom: ar_agent@school.example\nSubject: Коммутатор {n}\nMessage-ID: <ar{n}@school.example>\n\nНе горит порт {n}.\n"
        )
    };
    for (n, results) in [
        (1, "mx.evil.example; dkim=pass header.d=school.example"),
        (2, "mx.school.example; dkim=pass header.d=evil.example"),
        (3, "mx.school.example; dkim=fail header.d=school.example"),
        (
            4,
            "mx.school.example; spf=pass smtp.mailfrom=x@evil.example",
        ),
    ] {
        let outcome = deliver(&app, &mail(n, results)).await;
        assert!(kept_without_proof(&outcome), "{results}: {outcome:?}");
    }
    for (n, results) in [
        (
            5,
            "mx.school.example; dkim=pass (good) header.d=school.example",
        ),
        (
            6,
            "mx.school.example 1; dmarc=pass header.from=school.example",
        ),
        (
            7,
            "mx.school.example; spf=pass smtp.mailfrom=bounce@school.example",
        ),
    ] {
        let MailOutcome::Ticket(t) = deliver(&app, &mail(n, results)).await else {
            panic!("{results}: a ticket")
        };
        let creator = app
            .count(&format!("SELECT creator_id FROM tickets WHERE id = {t}"))
            .await;
        assert_eq!(creator, agent_id);
    }
}

#[tokio::test]
async fn the_persons_words_survive_wherever_they_stand_and_files_come_alone() {
    let app = TestApp::spawn().await;
    let (_, requester) = app.person("words_mail", "user").await;
    let id = app.ticket(&requester, "Принтер").await["id"]
        .as_i64()
        .unwrap();
    let interleaved = format!(
        "From: words_mail@school.example\nSubject: Re: [#{id}] Принтер\nMessage-ID: <w1@x>\n\n> Which printer?\nThe grey one\n\n> Which room?\n214\n"
    );
    assert_eq!(deliver(&app, &interleaved).await, MailOutcome::Message(id));
    let text = app
        .sql(&format!(
            "SELECT message FROM ticket_messages WHERE ticket_id = {id}"
        ))
        .await;
    assert_eq!(text, vec![serde_json::json!("The grey one\n\n214")]);

    // Only the quote: nothing new to post, kept for an admin to look at.
    let quote = format!(
        "From: words_mail@school.example\nSubject: Re: [#{id}] Принтер\nMessage-ID: <w2@x>\n\n> Which printer?\n> The grey one\n"
    );
    assert!(matches!(deliver(&app, &quote).await, MailOutcome::Kept(_)));
    // Only a photo: the file goes on the ticket, no empty message.
    let photo = format!(
        "From: words_mail@school.example\nSubject: Re: [#{id}] Принтер\nMessage-ID: <w3@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: image/png; name=\"photo.png\"\nContent-Disposition: attachment; filename=\"photo.png\"\nContent-Transfer-Encoding: base64\n\n{PNG}\n--b--\n"
    );
    assert_eq!(deliver(&app, &photo).await, MailOutcome::Message(id));
    assert_eq!(messages_on(&app, id).await, 1);
    assert_eq!(
        app.sql(&format!(
            "SELECT filename FROM attachments WHERE ticket_id = {id}"
        ))
        .await,
        vec![serde_json::json!("photo.png")]
    );
}

#[tokio::test]
async fn hostile_headers_and_bodies_end_in_a_recorded_outcome_never_an_error() {
    let app = TestApp::spawn().await;
    app.person("nul_mail", "user").await;
    // A subject that decodes to NUL and BEL, a body with NUL.
    let nul_subject = "From: nul_mail@school.example\nSubject: =?UTF-8?B?AAfQn9GA0LjQvdGC0LXRgAA=?=\nMessage-ID: <n1@x>\n\nbody\u{0} with NUL\n";
    let MailOutcome::Ticket(t) = deliver(&app, nul_subject).await else {
        panic!("a ticket")
    };
    let row = app
        .sql(&format!(
            "SELECT title || '|' || description FROM tickets WHERE id = {t}"
        ))
        .await;
    assert_eq!(row, vec![serde_json::json!("Принтер|body with NUL")]);
    // A Message-ID past RFC 5322's line, a From past RFC 5321's limits, NUL in a decoded
    // sender name: each recorded, none an error (PostgreSQL refused them with a 500 before).
    let long_id = format!(
        "From: nul_mail@school.example\nSubject: long id\nMessage-ID: <{}@x>\n\ntext\n",
        "i".repeat(1200)
    );
    assert!(matches!(
        deliver(&app, &long_id).await,
        MailOutcome::Ticket(_)
    ));
    assert!(matches!(
        deliver(&app, &long_id).await,
        MailOutcome::Duplicate(_)
    ));
    let long_from = format!(
        "From: {}@school.example\nSubject: long from\nMessage-ID: <lf@x>\n\ntext\n",
        "f".repeat(400)
    );
    assert!(matches!(
        deliver(&app, &long_from).await,
        MailOutcome::Kept(_)
    ));
    let nul_name = "From: =?UTF-8?B?0JDQvdC90LAA?= <nul_mail@school.example>\nSubject: =?UTF-8?B?AA==?=\nMessage-ID: <n3@x>\n\ntext\n";
    assert!(matches!(
        deliver(&app, nul_name).await,
        MailOutcome::Ticket(_)
    ));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbound_mail WHERE outcome = 'received'")
            .await,
        0,
        "nothing is left half-handled"
    );
}

#[tokio::test]
async fn a_mail_with_more_files_than_allowed_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_for(dir.path());
    settings.mail_max_attachments = 3;
    let app = TestApp::spawn_with(settings, dir).await;
    app.person("many_mail", "user").await;
    let mut raw = String::from(
        "From: many_mail@school.example\nSubject: Фото\nMessage-ID: <many@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nСмотрите фото.\n",
    );
    for n in 0..5 {
        raw.push_str(&format!("--b\nContent-Type: image/png; name=\"p{n}.png\"\nContent-Disposition: attachment; filename=\"p{n}.png\"\nContent-Transfer-Encoding: base64\n\n{PNG}\n"));
    }
    raw.push_str("--b--\n");
    let outcome = deliver(&app, &raw).await;
    assert!(
        matches!(&outcome, MailOutcome::Refused(why) if why.contains("at most 3")),
        "{outcome:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
}

#[tokio::test]
async fn a_message_whose_storing_failed_is_handled_afresh_on_the_next_delivery() {
    let app = TestApp::spawn().await;
    app.person("retry_mail", "user").await;
    let raw = format!(
        "From: retry_mail@school.example\nSubject: Сканер\nMessage-ID: <retry@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nНе сканирует.\n--b\nContent-Type: image/png; name=\"scan.png\"\nContent-Disposition: attachment; filename=\"scan.png\"\nContent-Transfer-Encoding: base64\n\n{PNG}\n--b--\n"
    );
    // The attachment's row cannot be written (as on a failing disk) after the ticket was.
    if on_postgres() {
        app.exec("CREATE FUNCTION fail_attachments() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full' USING ERRCODE = '53100'; END $$ LANGUAGE plpgsql").await;
        app.exec("CREATE TRIGGER fail_attachments BEFORE INSERT ON attachments FOR EACH ROW EXECUTE FUNCTION fail_attachments()").await;
    } else {
        app.exec("CREATE TRIGGER fail_attachments BEFORE INSERT ON attachments BEGIN SELECT RAISE(ABORT, 'disk full'); END").await;
    }
    assert!(try_deliver(&app, &raw).await.is_err(), "not acknowledged");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tickets").await,
        0,
        "all or nothing"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM inbound_mail").await, 0);
    app.exec(if on_postgres() {
        "DROP TRIGGER fail_attachments ON attachments"
    } else {
        "DROP TRIGGER fail_attachments"
    })
    .await;
    // The mail host tries again: handled, not "duplicate".
    let outcome = deliver(&app, &raw).await;
    assert!(matches!(outcome, MailOutcome::Ticket(_)), "{outcome:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 1);
}

#[tokio::test]
async fn duplicates_are_one_senders_message_id_in_any_case() {
    let app = TestApp::spawn().await;
    app.person("dup_a", "user").await;
    app.person("dup_b", "user").await;
    let mail = |from: &str, id: &str| {
        format!("From: {from}@school.example\nSubject: Кран\nMessage-ID: <{id}>\n\nТечёт.\n")
    };
    assert!(matches!(
        deliver(&app, &mail("dup_a", "Same@X")).await,
        MailOutcome::Ticket(_)
    ));
    assert!(matches!(
        deliver(&app, &mail("dup_a", "same@x")).await,
        MailOutcome::Duplicate(_)
    ));
    // Another sender's message with the same id is their own message, not a duplicate.
    assert!(matches!(
        deliver(&app, &mail("dup_b", "same@x")).await,
        MailOutcome::Ticket(_)
    ));
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 2);
}

#[tokio::test]
async fn admins_read_kept_mail_and_deliver_or_discard_it_from_the_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    app.person("page_agent", "agent").await;
    let kept = deliver(
        &app,
        "From: page_agent@school.example\nSubject: Свет в 12\nMessage-ID: <p1@x>\n\nЛампы мигают.\n",
    )
    .await;
    assert!(kept_without_proof(&kept), "{kept:?}");
    deliver(
        &app,
        "From: page_agent@school.example\nSubject: Свет в 14\nMessage-ID: <p2@x>\n\nТоже.\n",
    )
    .await;
    let list = app
        .page(Method::GET, "/ui/mail", &admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("Свет в 12") && list.contains("Свет в 14"),
        "{list}"
    );
    let ids = app
        .sql("SELECT id FROM inbound_mail ORDER BY id")
        .await
        .into_iter()
        .map(|v| v.as_i64().unwrap())
        .collect::<Vec<_>>();
    let page = app
        .page(Method::GET, &format!("/ui/mail/{}", ids[0]), &admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Лампы мигают."), "{page}");
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form's token")
        .to_owned();
    for (id, action) in [(ids[0], "redeliver"), (ids[1], "discard")] {
        let r = app
            .page(Method::POST, &format!("/ui/mail/{id}/{action}"), &admin)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER, "{action}");
    }
    let outcomes = app
        .sql("SELECT outcome || '|' || CASE WHEN raw IS NULL THEN 'gone' ELSE 'kept' END FROM inbound_mail ORDER BY id")
        .await;
    assert_eq!(
        outcomes,
        vec![
            serde_json::json!("ticket|gone"),
            serde_json::json!("discarded|gone")
        ]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'inbound_mail'")
            .await,
        2
    );
}
