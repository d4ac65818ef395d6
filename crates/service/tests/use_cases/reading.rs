//! Reading: files and a ticket in full, as its reader may see them.

use crate::desk::*;

#[tokio::test]
async fn a_refused_file_leaves_nothing_behind_and_a_discarded_one_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    // Files on the disk, where they can be counted (on PostgreSQL the default is the database;
    // the end-to-end tests count those rows).
    let desk = Desk::with(|s| {
        s.data_dir = data.clone();
        s.file_storage = Some(fixdesk_service::FileStorage::Local);
    })
    .await;
    let anna = desk.person("anna", Role::User).await;
    let files = desk.service.attachments();
    let body = |bytes: &'static [u8]| -> fixdesk_service::ByteStream {
        Box::pin(futures::stream::once(async move { Ok(bytes.to_vec()) }))
    };
    let stored = || {
        std::fs::read_dir(data.join("attachments/uploads"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let err = files
        .stage(&anna, "photo.heic", body(b"<html>not a photo</html>"))
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::FileContentMismatch);
    assert_eq!(stored(), 0);
    let heic: &'static [u8] = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic";
    let staged = files
        .stage(&anna, "IMG_0001.HEIC", body(heic))
        .await
        .unwrap();
    assert_eq!(staged.content_type, "image/heic");
    assert_eq!(stored(), 1);
    files.discard(vec![staged]).await;
    assert_eq!(stored(), 0);
}

#[tokio::test]
async fn a_ticket_in_full_is_what_its_reader_may_see_in_one_call() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let id = desk.file(&anna, "Проектор").await.unwrap();
    let tickets = desk.service.tickets();
    let text = |s: &str| parsed(fixdesk_service::domain::MessageText::parse(s));
    tickets
        .post_message(&agent, id, text("смотрю"), false, &desk.client)
        .await
        .unwrap();
    tickets
        .post_message(&agent, id, text("лампа на складе"), true, &desk.client)
        .await
        .unwrap();

    let staff = tickets.in_full(&agent, id).await.unwrap();
    assert_eq!(staff.ticket.id, id);
    assert_eq!(staff.messages.len(), 2, "staff read the note too");
    let theirs = tickets.in_full(&anna, id).await.unwrap();
    assert_eq!(theirs.messages.len(), 1, "the requester never reads a note");
    assert!(theirs.messages.iter().all(|m| !m.internal));
    assert!(
        theirs.timeline.len() < staff.timeline.len(),
        "the note is not in the requester's story either"
    );
    assert_eq!(
        (theirs.category, theirs.equipment, theirs.calendar),
        (None, None, None)
    );
    // Someone else's ticket is refused, as when read alone; nor may they follow its changes.
    assert_eq!(
        domain(tickets.in_full(&boris, id).await.unwrap_err()),
        DomainError::CannotViewTicket
    );
    assert_eq!(
        domain(tickets.changes(&boris, id).await.err().unwrap()),
        DomainError::CannotViewTicket
    );
    assert!(tickets.changes(&anna, id).await.is_ok());
}
