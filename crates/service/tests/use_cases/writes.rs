//! Writes: one unit of work with its audit row and counters; refusals leave nothing.

use crate::desk::*;

#[tokio::test]
async fn filing_a_ticket_commits_it_with_its_audit_row_and_its_counters() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let [tickets, audit, _, counted] = desk.footprint().await;
    let id = desk.file(&user, "Проектор мигает").await.unwrap();
    assert_eq!(
        desk.footprint().await,
        [tickets + 1, audit + 1, 0, counted + 1]
    );
    assert_eq!(
        desk.count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket' AND entity_id = {} \
             AND action_type = 'CREATE' AND user_id = {}",
            id.0, user.id.0
        ))
        .await,
        1,
        "the audit row names the ticket and who filed it"
    );
    let summary = desk
        .service
        .statistics()
        .summary(&desk.admin)
        .await
        .unwrap();
    assert_eq!(summary.total, counted + 1);
    desk.counters_agree().await;
}

#[tokio::test]
async fn a_refusal_changes_nothing_and_writes_no_audit_row() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let id = desk.file(&user, "Стул сломан").await.unwrap();
    let before = desk.footprint().await;

    let staff_only = desk
        .service
        .tickets()
        .set_status(&user, id, TicketStatus::InProgress, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(staff_only), DomainError::StaffRequired);
    let status_field = TicketChanges {
        status: Some(TicketStatus::Closed),
        ..Default::default()
    };
    let refused = desk
        .service
        .tickets()
        .update(&user, id, status_field, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(refused), DomainError::FieldForbidden("status"));
    let unknown_category = NewTicket {
        title: parsed(Title::parse("t")),
        description: parsed(Description::parse("")),
        room_number: parsed(RoomNumber::parse("1")),
        priority: Priority::Low,
        category_id: Some(fixdesk_service::domain::CategoryId(999)),
        equipment_id: None,
    };
    let refused = desk
        .service
        .tickets()
        .create(&user, unknown_category, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(refused), DomainError::UnknownCategory);

    assert_eq!(desk.footprint().await, before, "nothing written");
    desk.counters_agree().await;
}

#[tokio::test]
async fn a_refusal_found_inside_the_unit_of_work_leaves_everything_as_it_was() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let agent = desk.person("agent", Role::Agent).await;
    let id = desk.file(&user, "Нет сети").await.unwrap();
    let before = desk.footprint().await;
    // The ticket is loaded and checked inside the unit of work before the assignee is found
    // unfit: the failure must leave the ticket as it was.
    let refused = desk
        .service
        .tickets()
        .assign(&agent, id, user.id, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(refused), DomainError::AgentNotFound);
    let t = desk.service.tickets().get(&desk.admin, id).await.unwrap();
    assert_eq!((t.status, t.assigned_to_id), (TicketStatus::New, None));
    assert_eq!(desk.footprint().await, before);
}

#[tokio::test]
async fn every_permission_is_checked_by_the_use_case_itself() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let first = desk.person("agent_one", Role::Agent).await;
    let second = desk.person("agent_two", Role::Agent).await;
    let tickets = desk.service.tickets();
    let id = desk.file(&anna, "Монитор").await.unwrap();

    let err = tickets.get(&boris, id).await.unwrap_err();
    assert_eq!(domain(err), DomainError::CannotViewTicket);
    tickets.claim(&first, id, &desk.client).await.unwrap();
    let err = tickets
        .set_status(&second, id, TicketStatus::Closed, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::AssignedToOther);
    let err = tickets.claim(&second, id, &desk.client).await.unwrap_err();
    assert_eq!(domain(err), DomainError::AlreadyClaimed);

    // A ticket its creator hid is gone for them, on every use case.
    let hidden = desk.file(&anna, "Скрою").await.unwrap();
    tickets.delete(&anna, hidden, &desk.client).await.unwrap();
    for err in [
        tickets.get(&anna, hidden).await.unwrap_err(),
        tickets
            .close(&anna, hidden, &desk.client)
            .await
            .unwrap_err(),
        tickets.messages(&anna, hidden).await.unwrap_err(),
    ] {
        assert_eq!(domain(err), DomainError::TicketNotFound);
    }
    let err = desk
        .service
        .users()
        .delete(&desk.admin, desk.admin.id, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::CannotDeleteSelf);
}

#[tokio::test]
async fn counters_follow_every_ticket_write() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let agent = desk.person("agent", Role::Agent).await;
    let tickets = desk.service.tickets();
    let a = desk.file(&user, "A").await.unwrap();
    let b = desk.file(&user, "B").await.unwrap();
    desk.counters_agree().await;
    tickets.claim(&agent, a, &desk.client).await.unwrap();
    tickets
        .set_status(&agent, a, TicketStatus::Closed, &desk.client)
        .await
        .unwrap();
    desk.counters_agree().await;
    tickets.close(&user, b, &desk.client).await.unwrap();
    tickets
        .set_status(&agent, b, TicketStatus::InProgress, &desk.client)
        .await
        .unwrap();
    desk.counters_agree().await;
    tickets.delete(&desk.admin, a, &desk.client).await.unwrap();
    desk.counters_agree().await;
    let summary = desk
        .service
        .statistics()
        .summary(&desk.admin)
        .await
        .unwrap();
    assert_eq!(summary.total, 1);
}

#[tokio::test]
async fn a_name_holding_nul_signs_nobody_in_and_breaks_nothing() {
    let desk = Desk::new().await;
    let err = desk
        .service
        .auth()
        .login("ad\u{0}min", ADMIN_PASSWORD, &desk.client)
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::BadCredentials), "{err:?}");
    assert_eq!(
        desk.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN_FAILED'")
            .await,
        1,
        "the attempt is audited (with the NUL escaped)"
    );
}
