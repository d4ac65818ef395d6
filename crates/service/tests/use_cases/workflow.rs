//! The ticket workflow: closing, reopening, handing over, merging duplicates.

use crate::desk::*;

#[tokio::test]
async fn a_close_needs_a_resolution_and_the_creator_may_reopen_within_the_window() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let tickets = desk.service.tickets();
    let id = desk.file(&anna, "Принтер").await.unwrap();
    let before = desk.footprint().await;
    let err = tickets
        .resolve(&agent, id, parsed(Resolution::parse("   ")), &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::ResolutionRequired);
    assert_eq!(desk.footprint().await, before, "a refusal writes nothing");
    let closed = tickets
        .resolve(
            &agent,
            id,
            parsed(Resolution::parse("Заменён ролик")),
            &desk.client,
        )
        .await
        .unwrap();
    assert_eq!(closed.status, TicketStatus::Closed);
    assert_eq!(closed.resolution.as_deref(), Some("Заменён ролик"));
    let reopened = tickets.reopen(&anna, id, None, &desk.client).await.unwrap();
    assert_eq!(reopened.status, TicketStatus::New);
    assert_eq!(reopened.closed_at, None);
    // The creator closes too, with their own words; a week and a day later the window is shut.
    tickets
        .resolve(
            &anna,
            id,
            parsed(Resolution::parse("Сам починил")),
            &desk.client,
        )
        .await
        .unwrap();
    desk.counters_agree().await;
    // Moved back in time by hand (the day counters then disagree, as such an edit would).
    desk.service
        .database()
        .writer()
        .execute_unprepared(&format!(
            "UPDATE tickets SET closed_at = '2020-01-01 00:00:00' WHERE id = {id}"
        ))
        .await
        .unwrap();
    let err = tickets
        .reopen(&anna, id, None, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::ReopenWindowPassed);
    let boris = desk.person("boris", Role::User).await;
    let err = tickets
        .reopen(&boris, id, None, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::CannotViewTicket);
    tickets
        .reopen(&agent, id, None, &desk.client)
        .await
        .unwrap();
    let reopen_rows = desk
        .count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_id = {id} AND description LIKE '%переоткрыта%'"
        ))
        .await;
    assert_eq!(reopen_rows, 2);
}

#[tokio::test]
async fn agents_hand_tickets_over_only_where_the_desk_allows_it() {
    let desk = Desk::with(|s| s.rules = DeskRules::new(7, false)).await;
    let anna = desk.person("anna", Role::User).await;
    let first = desk.person("agent_one", Role::Agent).await;
    let second = desk.person("agent_two", Role::Agent).await;
    let tickets = desk.service.tickets();
    let id = desk.file(&anna, "Сканер").await.unwrap();
    tickets.claim(&first, id, &desk.client).await.unwrap();
    let err = tickets
        .assign(&first, id, second.id, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::HandOverAdminOnly);
    // Giving it back to the queue is always theirs to do.
    let back = tickets.unassign(&first, id, &desk.client).await.unwrap();
    assert_eq!(
        (back.assigned_to_id, back.status),
        (None, TicketStatus::New)
    );
    let given = tickets
        .assign(&desk.admin, id, second.id, &desk.client)
        .await
        .unwrap();
    assert_eq!(given.assigned_to_id, Some(second.id));
    desk.counters_agree().await;
}

#[tokio::test]
async fn a_reopened_duplicate_is_its_own_ticket_again_with_the_reason_in_its_thread() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let tickets = desk.service.tickets();
    let kept = desk.file(&anna, "Проектор").await.unwrap();
    let dup = desk.file(&boris, "Проектор в 214").await.unwrap();
    tickets
        .merge(&agent, dup, kept, &desk.client)
        .await
        .unwrap();
    // Boris follows the kept ticket now.
    assert!(tickets.get(&boris, kept).await.is_ok());
    let reason = parsed(fixdesk_service::domain::MessageText::parse(
        "Это другой проектор, в 215",
    ));
    let reopened = tickets
        .reopen(&agent, dup, Some(reason), &desk.client)
        .await
        .unwrap();
    assert_eq!(reopened.status, TicketStatus::New);
    assert_eq!(reopened.merged_into_id, None);
    let thread = tickets.messages(&boris, dup).await.unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].message, "Это другой проектор, в 215");
    desk.counters_agree().await;
}

#[tokio::test]
async fn only_staff_tick_and_only_a_checklist_line() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let tickets = desk.service.tickets();
    let id = desk.file(&anna, "Проектор").await.unwrap();
    let before = desk.footprint().await;
    let err = tickets
        .tick(&anna, id, 0, true, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::StaffRequired);
    let err = tickets
        .tick(&agent, id, 0, true, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::NoChecklistItem);
    assert_eq!(desk.footprint().await, before, "a refusal writes nothing");
}
