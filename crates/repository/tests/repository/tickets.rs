//! Tickets: reading with names, filters, order, counting, the conditional claim, the thread's
//! counts, the queue, and the counters a change moves.

use fixdesk_domain::{
    Page, Role, TicketFilter, TicketQuery, TicketSort, TicketSortKey, TicketStatus,
    counters::{self, Counter},
};
use fixdesk_repository::{batch::Batch, statistics, tickets};

use crate::{at, db, person, ticket};

fn query(filter: TicketFilter) -> TicketQuery {
    TicketQuery {
        filter,
        sort: TicketSort::default(),
        page: Page::new(0, 100),
        count_limit: None,
    }
}

#[tokio::test]
async fn a_ticket_reads_back_with_its_peoples_names() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let t = ticket(&db, anna, "Принтер", "2026-12-01 09:00:00").await;
    let read = tickets::find(&db, t.id).await.unwrap().unwrap();
    assert_eq!(read.title, "Принтер");
    assert_eq!(read.creator_name.as_deref(), Some("anna full"));
    assert_eq!(read.assigned_to_name, None);
    assert_eq!(read.status, TicketStatus::New);
    assert!(
        tickets::find(&db, fixdesk_domain::TicketId(999))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_list_filters_orders_newest_first_and_counts_exactly() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let boris = person(&db, "boris", Role::User).await;
    for (who, title, when) in [
        (anna, "a1", "2026-12-01 09:00:00"),
        (boris, "b1", "2026-12-01 10:00:00"),
        (anna, "a2", "2026-12-01 11:00:00"),
    ] {
        ticket(&db, who, title, when).await;
    }
    let annas = query(TicketFilter {
        creator_id: Some(anna),
        ..Default::default()
    });
    let titles: Vec<String> = tickets::list(&db, &annas)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, ["a2", "a1"]);
    assert_eq!(tickets::count(&db, &annas.filter, None).await.unwrap(), 2);
    let mut oldest_first = query(TicketFilter::default());
    oldest_first.sort = TicketSort {
        key: TicketSortKey::CreatedAt,
        descending: false,
    };
    oldest_first.page = Page::new(1, 1);
    let second: Vec<String> = tickets::list(&db, &oldest_first)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(second, ["b1"], "the window skips and limits");
}

#[tokio::test]
async fn a_bounded_count_stops_one_past_its_limit() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    for n in 0..5 {
        ticket(&db, anna, &format!("t{n}"), "2026-12-01 09:00:00").await;
    }
    let all = TicketFilter {
        creator_id: Some(anna),
        ..Default::default()
    };
    assert_eq!(
        tickets::count(&db, &all, Some(3)).await.unwrap(),
        4,
        "enough to say \"more than 3\""
    );
    assert_eq!(tickets::count(&db, &all, Some(10)).await.unwrap(), 5);
    assert_eq!(tickets::count(&db, &all, None).await.unwrap(), 5);
}

#[tokio::test]
async fn of_two_agents_claiming_one_ticket_only_the_first_gets_it() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let a1 = person(&db, "agent1", Role::Agent).await;
    let a2 = person(&db, "agent2", Role::Agent).await;
    let t = ticket(&db, anna, "Сеть", "2026-12-01 09:00:00").await;
    assert!(
        tickets::claim(&db, t.id, a1, at("2026-12-01 09:05:00"))
            .await
            .unwrap()
    );
    assert!(
        !tickets::claim(&db, t.id, a2, at("2026-12-01 09:05:01"))
            .await
            .unwrap()
    );
    let read = tickets::find(&db, t.id).await.unwrap().unwrap();
    assert_eq!(read.assigned_to_id, Some(a1));
    assert_eq!(read.status, TicketStatus::InProgress);
    assert_eq!(read.assigned_to_name.as_deref(), Some("agent1 full"));
}

#[tokio::test]
async fn the_thread_counts_internal_notes_apart_and_knows_who_wrote_last() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let agent = person(&db, "agent", Role::Agent).await;
    let t = ticket(&db, anna, "Проектор", "2026-12-01 09:00:00").await;
    tickets::add_message_count(&db, t.id, agent, false, at("2026-12-01 09:10:00"))
        .await
        .unwrap();
    tickets::add_message_count(&db, t.id, agent, true, at("2026-12-01 09:11:00"))
        .await
        .unwrap();
    let read = tickets::find(&db, t.id).await.unwrap().unwrap();
    assert_eq!((read.messages_count, read.internal_messages_count), (2, 1));
    assert_eq!(
        read.last_message_by,
        Some(agent),
        "a note is no answer, the message before it is"
    );
    assert!(!read.awaits_reply());
}

#[tokio::test]
async fn the_queue_is_new_unheld_tickets_oldest_first() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let agent = person(&db, "agent", Role::Agent).await;
    let first = ticket(&db, anna, "1", "2026-12-01 09:00:00").await;
    let taken = ticket(&db, anna, "2", "2026-12-01 09:01:00").await;
    let third = ticket(&db, anna, "3", "2026-12-01 09:02:00").await;
    tickets::claim(&db, taken.id, agent, at("2026-12-01 09:03:00"))
        .await
        .unwrap();
    assert_eq!(
        tickets::queue_head(&db, 10).await.unwrap(),
        vec![first.id, third.id]
    );
    assert_eq!(tickets::queue_head(&db, 1).await.unwrap(), vec![first.id]);
}

#[tokio::test]
async fn an_agents_work_is_the_queue_and_their_own_open_tickets() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let me = person(&db, "me", Role::Agent).await;
    let other = person(&db, "other", Role::Agent).await;
    let queued = ticket(&db, anna, "queued", "2026-12-01 09:00:00").await;
    let mine = ticket(&db, anna, "mine", "2026-12-01 09:01:00").await;
    let theirs = ticket(&db, anna, "theirs", "2026-12-01 09:02:00").await;
    tickets::claim(&db, mine.id, me, at("2026-12-01 09:05:00"))
        .await
        .unwrap();
    tickets::claim(&db, theirs.id, other, at("2026-12-01 09:05:00"))
        .await
        .unwrap();
    let work = query(TicketFilter {
        work_of: Some(me),
        ..Default::default()
    });
    let mut ids: Vec<_> = tickets::list(&db, &work)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    ids.sort_by_key(|i| i.0);
    assert_eq!(ids, vec![queued.id, mine.id]);
    assert_eq!(tickets::count(&db, &work.filter, None).await.unwrap(), 2);
}

#[tokio::test]
async fn a_change_moves_the_stored_counters_exactly_as_a_recount_finds_them() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let t = ticket(&db, anna, "Мышь", "2026-12-01 09:00:00").await;
    let mut batch = Batch::on(&db);
    statistics::apply(&mut batch, counters::delta(None, Some(&t)));
    batch.run(&db).await.unwrap();
    let change = tickets::TicketUpdate {
        status: Some(TicketStatus::Closed),
        closed_at: Some(Some(at("2026-12-01 12:00:00"))),
        ..Default::default()
    };
    let after = tickets::update(&db, t.id, change, at("2026-12-01 12:00:00"))
        .await
        .unwrap();
    let mut batch = Batch::on(&db);
    statistics::apply(&mut batch, counters::delta(Some(&t), Some(&after)));
    batch.run(&db).await.unwrap();
    let stored = statistics::stored(&db).await.unwrap();
    assert_eq!(stored, statistics::recompute(&db).await.unwrap());
    let closed = Counter::Tickets {
        status: TicketStatus::Closed.rank(),
        priority: after.priority.rank(),
    };
    assert_eq!(stored.get(&closed), Some(&[1, 3 * 3600, 0, 0]));
    assert!(
        !stored.contains_key(&Counter::Tickets {
            status: TicketStatus::New.rank(),
            priority: after.priority.rank(),
        }),
        "a row back at zero is not stored"
    );
}
