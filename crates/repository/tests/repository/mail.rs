//! Mail delivered to the desk: claimed once per sender and message id in any case, a row left
//! half-handled taken over, threads found by the ids a reply names, kept mail read back.

use fixdesk_domain::{Page, mail::MailOutcome};
use fixdesk_repository::mail::{self, Claim, Received};

use crate::{at, db};

fn received<'a>(id: &'a str, sender: &'a str) -> Received<'a> {
    Received {
        message_id: id,
        sender,
        subject: "Тема",
        at: at("2026-12-01 09:00:00"),
    }
}

#[tokio::test]
async fn a_message_is_claimed_once_per_sender_and_id_in_any_case() {
    let db = db().await;
    let Claim::Mine(row) = mail::claim(&db, &received("Id@X", "a@x")).await.unwrap() else {
        panic!("the first delivery handles it")
    };
    mail::finish(&db, row, &MailOutcome::Ticket(5), None, None)
        .await
        .unwrap();
    assert_eq!(
        mail::claim(&db, &received("id@x", "a@x")).await.unwrap(),
        Claim::Earlier {
            outcome: "ticket".into(),
            ticket_id: Some(5)
        }
    );
    assert!(
        matches!(
            mail::claim(&db, &received("id@x", "b@x")).await.unwrap(),
            Claim::Mine(_)
        ),
        "another sender's message"
    );
}

#[tokio::test]
async fn a_row_left_received_is_taken_over_not_answered_as_a_duplicate() {
    let db = db().await;
    let Claim::Mine(first) = mail::claim(&db, &received("half@x", "a@x")).await.unwrap() else {
        panic!()
    };
    // (Its handling never finished.) The next delivery handles it, on the same row.
    assert_eq!(
        mail::claim(&db, &received("half@x", "a@x")).await.unwrap(),
        Claim::Mine(first)
    );
}

#[tokio::test]
async fn a_reply_finds_its_ticket_by_the_ids_it_answers_in_any_case() {
    let db = db().await;
    let Claim::Mine(row) = mail::claim(&db, &received("<Orig@Mail>", "a@x"))
        .await
        .unwrap()
    else {
        panic!()
    };
    mail::finish(&db, row, &MailOutcome::Ticket(42), None, None)
        .await
        .unwrap();
    let answered = vec!["<other@x>".to_string(), "<orig@mail>".to_string()];
    assert_eq!(mail::ticket_of(&db, &answered).await.unwrap(), Some(42));
    assert_eq!(mail::ticket_of(&db, &[]).await.unwrap(), None);
    assert_eq!(
        mail::ticket_of(&db, &["<nothing@x>".to_string()])
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn kept_mail_is_read_back_whole_and_discarding_drops_it() {
    let db = db().await;
    let Claim::Mine(row) = mail::claim(&db, &received("k@x", "a@x")).await.unwrap() else {
        panic!()
    };
    let outcome = MailOutcome::Kept("unreadable".into());
    mail::finish(
        &db,
        row,
        &outcome,
        Some("unreadable".into()),
        Some(b"raw bytes".to_vec()),
    )
    .await
    .unwrap();
    let (listed, raw) = mail::kept(&db, row).await.unwrap().unwrap();
    assert_eq!(
        (listed.outcome.as_str(), raw.as_slice()),
        ("kept", &b"raw bytes"[..])
    );
    let only_kept = mail::list(&db, Some("kept"), Page::new(0, 10))
        .await
        .unwrap();
    assert_eq!(only_kept.len(), 1);
    assert!(only_kept[0].kept);
    mail::finish(
        &db,
        row,
        &MailOutcome::Discarded("by admin".into()),
        None,
        None,
    )
    .await
    .unwrap();
    assert!(mail::kept(&db, row).await.unwrap().is_none());
    assert!(mail::raw(&db, row).await.unwrap().is_none());
}
