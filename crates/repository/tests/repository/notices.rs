//! Who a notice reaches: the staff who serve a category, everyone but its author.

use fixdesk_domain::{
    NotificationKind, Role,
    assignment::{RuleDraft, Strategy},
};
use fixdesk_repository::{
    assignment,
    batch::Batch,
    categories,
    notifications::{self, Audience, Notice},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::{at, db, person};

/// Who a notice for `audience` reached (each probe about a ticket of its own).
async fn told(db: &DatabaseConnection, about: i64, audience: Audience) -> Vec<i64> {
    let mut batch = Batch::on(db);
    let notice = Notice {
        kind: NotificationKind::TicketCreated,
        title: format!("Новая заявка #{about}"),
        message: "Проектор".into(),
        related_id: Some(about),
    };
    notifications::notify(&mut batch, audience, notice, at("2026-12-07 10:00:00")).unwrap();
    batch.run(db).await.unwrap();
    let sql =
        format!("SELECT user_id FROM notifications WHERE related_id = {about} ORDER BY user_id");
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get_by_index::<i64>(0).unwrap())
        .collect()
}

#[tokio::test]
async fn a_new_ticket_reaches_the_group_that_serves_its_category_or_all_staff() {
    let db = db().await;
    let agent_a = person(&db, "agent_a", Role::Agent).await;
    let agent_b = person(&db, "agent_b", Role::Agent).await;
    let admin = person(&db, "chief", Role::Admin).await;
    person(&db, "teacher", Role::User).await;
    let now = at("2026-12-07 09:00:00");
    let printers = categories::insert(&db, "Принтеры".into(), None, true, now)
        .await
        .unwrap();
    let projectors = categories::insert(&db, "Проекторы".into(), None, true, now)
        .await
        .unwrap();
    let draft = RuleDraft {
        category_id: printers.id,
        strategy: Strategy::RoundRobin,
        agents: vec![agent_b],
        enabled: false,
    };
    assignment::insert_rule(&db, draft, now).await.unwrap();

    let serving = |category| Audience::Serving {
        category,
        except: None,
    };
    // Printers have a group (enabled or not, it names who serves them): only its member.
    assert_eq!(
        told(&db, 1, serving(Some(printers.id))).await,
        vec![agent_b.0]
    );
    // Projectors have none, nor has a ticket of no category: all staff, never a requester.
    let staff = vec![agent_a.0, agent_b.0, admin.0];
    assert_eq!(told(&db, 2, serving(Some(projectors.id))).await, staff);
    assert_eq!(told(&db, 3, serving(None)).await, staff);
    let but_a = Audience::Serving {
        category: None,
        except: Some(agent_a),
    };
    assert_eq!(told(&db, 4, but_a).await, vec![agent_b.0, admin.0]);
}
