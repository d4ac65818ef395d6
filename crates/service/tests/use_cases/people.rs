//! People: their preferences, and finding tickets by who filed them.

use crate::desk::*;

#[tokio::test]
async fn preferences_belong_to_the_account_and_a_new_zone_is_audited() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let users = desk.service.users();
    let audit = "SELECT COUNT(*) FROM audit_logs";
    let rows = desk.count(audit).await;
    // A zone the browser reports at sign-in is kept, but nobody chose it: no audit row.
    let learnt = PreferencesChange {
        time_zone: Some(parsed(TimeZone::parse("Asia/Vladivostok"))),
        learnt: true,
        ..PreferencesChange::default()
    };
    let kept = users
        .set_preferences(&anna, learnt, &desk.client)
        .await
        .unwrap();
    assert_eq!(kept.time_zone.map(TimeZone::name), Some("Asia/Vladivostok"));
    assert_eq!(desk.count(audit).await, rows);
    let zone = PreferencesChange {
        time_zone: Some(parsed(TimeZone::parse("Europe/Moscow"))),
        language: Some(Language::En),
        ..PreferencesChange::default()
    };
    let saved = users
        .set_preferences(&anna, zone.clone(), &desk.client)
        .await
        .unwrap();
    assert_eq!(saved.time_zone.map(TimeZone::name), Some("Europe/Moscow"));
    assert_eq!(desk.count(audit).await, rows + 1);
    // The same again changes nothing; remembered list filters are view state, not audited.
    users
        .set_preferences(&anna, zone, &desk.client)
        .await
        .unwrap();
    let filters = parsed(PreferencesChange::default().with_filters("view=all&q=204"));
    users
        .set_preferences(&anna, filters, &desk.client)
        .await
        .unwrap();
    assert_eq!(desk.count(audit).await, rows + 1);
    let read = users.preferences(&anna).await.unwrap();
    assert_eq!(read.ticket_filters.as_deref(), Some("view=all&q=204"));
    assert_eq!(read.language, Some(Language::En));
}

#[tokio::test]
async fn staff_find_a_ticket_by_number_room_or_author() {
    let desk = Desk::new().await;
    let anna = desk.person("anna_petrova", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let mine = desk.file(&anna, "Монитор").await.unwrap();
    desk.file(&boris, "Клавиатура").await.unwrap();
    let find = |term: &str, who: &Actor| {
        let query = TicketQuery {
            filter: TicketFilter {
                search: Some(term.to_string()),
                ..TicketFilter::default()
            },
            page: Page::new(0, 50),
            ..TicketQuery::default()
        };
        let tickets = desk.service.tickets();
        let who = who.clone();
        async move {
            let page = tickets.list(&who, query).await.unwrap();
            (
                page.total,
                page.items.iter().map(|t| t.id).collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(find(&format!("#{mine}"), &agent).await, (1, vec![mine]));
    assert_eq!(find("ПЕТРОВА", &agent).await.0, 0, "no name holds it");
    assert_eq!(find("Anna_P", &agent).await, (1, vec![mine]));
    assert_eq!(find("101", &agent).await.0, 2, "the room of both");
    // A user's search stays within their own tickets.
    assert_eq!(find("101", &boris).await.0, 1);
}
