//! A ticket's thread and files, the equipment register and its categories.

use fixdesk_domain::{
    EquipmentDetails, EquipmentFilter, EquipmentStatus, NewEquipment, Page, Patch, Role,
};
use fixdesk_repository::{attachments, categories, equipment, messages};

use crate::{at, db, person, ticket};

#[tokio::test]
async fn the_thread_is_in_order_and_internal_notes_are_for_staff_only() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let agent = person(&db, "agent", Role::Agent).await;
    let t = ticket(&db, anna, "Сканер", "2026-12-01 09:00:00").await;
    for (who, text, internal, when) in [
        (anna, "Не сканирует", false, "2026-12-01 09:01:00"),
        (agent, "Проверить драйвер", true, "2026-12-01 09:02:00"),
        (agent, "Сейчас подойду", false, "2026-12-01 09:03:00"),
    ] {
        messages::insert(&db, t.id, who, text.into(), internal, at(when))
            .await
            .unwrap();
    }
    let staff: Vec<String> = messages::for_ticket(&db, t.id, true)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.message)
        .collect();
    assert_eq!(
        staff,
        ["Не сканирует", "Проверить драйвер", "Сейчас подойду"]
    );
    let requester = messages::for_ticket(&db, t.id, false).await.unwrap();
    assert_eq!(requester.len(), 2);
    assert!(requester.iter().all(|m| !m.internal));
    assert_eq!(requester[1].author_name.as_deref(), Some("agent full"));
}

#[tokio::test]
async fn a_tickets_files_are_listed_and_removed_with_their_rows() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let t = ticket(&db, anna, "Фото", "2026-12-01 09:00:00").await;
    let other = ticket(&db, anna, "Другое", "2026-12-01 09:00:00").await;
    let mut ids = Vec::new();
    for (ticket_id, name) in [(t.id, "a.png"), (t.id, "b.pdf"), (other.id, "c.png")] {
        let row = attachments::NewAttachmentRow {
            ticket_id,
            filename: name.into(),
            stored_filename: format!("u-{name}"),
            file_path: format!("uploads/u-{name}"),
            file_size: 10,
            content_type: "image/png".into(),
            description: None,
            uploaded_by: anna,
        };
        ids.push(
            attachments::insert(&db, row, at("2026-12-01 09:05:00"))
                .await
                .unwrap()
                .id,
        );
    }
    let names: Vec<String> = attachments::for_ticket(&db, t.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.filename)
        .collect();
    assert_eq!(names, ["a.png", "b.pdf"]);
    let mut paths = attachments::paths_for_ticket(&db, t.id).await.unwrap();
    paths.sort();
    assert_eq!(paths, ["uploads/u-a.png", "uploads/u-b.pdf"]);
    attachments::delete(&db, ids[0]).await.unwrap();
    assert!(attachments::find(&db, ids[0]).await.unwrap().is_none());
    assert_eq!(
        attachments::for_ticket(&db, other.id).await.unwrap().len(),
        1
    );
}

fn item(name: &str, kind: &str, location: &str) -> NewEquipment {
    NewEquipment {
        name: name.into(),
        kind: kind.into(),
        category_id: None,
        status: EquipmentStatus::Active,
        details: EquipmentDetails {
            location: Patch::Value(location.into()),
            ..Default::default()
        },
    }
}

#[tokio::test]
async fn equipment_is_filtered_by_type_and_location_and_a_retired_item_is_gone() {
    let db = db().await;
    let admin = person(&db, "root", Role::Admin).await;
    let now = at("2026-12-01 09:00:00");
    let a = equipment::insert(&db, item("HP 400", "Принтер", "214"), admin, now)
        .await
        .unwrap();
    equipment::insert(&db, item("Epson", "Проектор", "214"), admin, now)
        .await
        .unwrap();
    equipment::insert(&db, item("Canon", "Принтер", "101"), admin, now)
        .await
        .unwrap();
    let page = Page::new(0, 100);
    let printers = EquipmentFilter {
        kind: Some("Принтер".into()),
        ..Default::default()
    };
    assert_eq!(
        equipment::list(&db, &printers, page).await.unwrap().len(),
        2
    );
    let in_214 = EquipmentFilter {
        location: Some("214".into()),
        ..Default::default()
    };
    assert_eq!(equipment::list(&db, &in_214, page).await.unwrap().len(), 2);
    let mut locations = equipment::locations(&db).await.unwrap();
    locations.sort();
    assert_eq!(locations, ["101", "214"]);
    equipment::retire(&db, a.id, admin, now).await.unwrap();
    assert!(equipment::find(&db, a.id).await.unwrap().is_none());
    assert_eq!(
        equipment::list(&db, &printers, page).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_renamed_category_renames_its_items_type() {
    let db = db().await;
    let admin = person(&db, "root", Role::Admin).await;
    let now = at("2026-12-01 09:00:00");
    let c = categories::insert(&db, "Принтеры".into(), None, true, now)
        .await
        .unwrap();
    let mut new = item("HP 400", "Принтеры", "214");
    new.category_id = Some(c.id);
    let e = equipment::insert(&db, new, admin, now).await.unwrap();
    assert_eq!(e.category_id, Some(c.id));
    equipment::rename_category(&db, c.id, "МФУ").await.unwrap();
    let read = equipment::find(&db, e.id).await.unwrap().unwrap();
    assert_eq!(
        (read.kind.as_deref(), read.category_id),
        (Some("МФУ"), Some(c.id))
    );
    equipment::unlink_category(&db, c.id).await.unwrap();
    let read = equipment::find(&db, e.id).await.unwrap().unwrap();
    assert_eq!(
        (read.kind.as_deref(), read.category_id),
        (Some("МФУ"), None),
        "it keeps its type text"
    );
}
