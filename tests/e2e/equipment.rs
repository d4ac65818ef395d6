//! Equipment, maintenance, and the §5 B10 bugs fixed.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn create_with_category_or_type_and_every_field_round_trips() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    let full = json!({"name": "Epson EB-X41", "type": "projector", "model": "EB-X41", "serial_number": "SN1", "inventory_number": "INV-7", "location": "Актовый зал", "status": "repair", "purchase_date": "2024-01-15", "warranty_end_date": "2026-01-15T00:00:00", "responsible_person": "Иванов", "notes": "лампа", "category_id": ""});
    let (status, e) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&agent.token),
            Some(full),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    for (k, v) in [
        ("type", json!("projector")),
        ("status", json!("repair")),
        ("purchase_date", json!("2024-01-15T00:00:00")),
        ("warranty_end_date", json!("2026-01-15T00:00:00")),
        ("created_by_id", json!(agent.id)),
        ("updated_at", Value::Null),
        ("last_maintenance_date", Value::Null),
    ] {
        assert_eq!(e[k], v, "{k}");
    }
    assert!(e.get("category").is_none());
    let (status, e2) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&agent.token),
            Some(json!({"name": "HP", "type": "printer", "category": "Принтеры"})),
        )
        .await;
    assert_eq!(
        (status, e2["type"].clone()),
        (StatusCode::CREATED, json!("Принтеры")),
        "a truthy category wins over type"
    );
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&agent.token),
            Some(json!({"name": "?", "type": ""})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"detail": "Необходимо указать тип оборудования (type или category)"})
        )
    );
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&agent.token),
            Some(json!({"name": "x", "type": "t", "status": "broken", "purchase_date": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&Value> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["loc"][1])
        .collect();
    assert_eq!(fields, vec!["status", "purchase_date"]);
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&agent.token),
            Some(json!({"type": "t"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "name is required");
}

#[tokio::test]
async fn updates_apply_present_keys_and_record_who() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    let id = app.equipment("Dell", "computer").await;
    let (status, e) = app
        .call(
            Method::PUT,
            &format!("/api/v1/equipment/{id}"),
            Some(&agent.token),
            Some(json!({"location": null, "status": "inactive", "category": "Компьютеры"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            e["location"].clone(),
            e["status"].clone(),
            e["type"].clone(),
            e["updated_by_id"].clone()
        ),
        (
            Value::Null,
            json!("inactive"),
            json!("Компьютеры"),
            json!(agent.id)
        )
    );
    assert!(
        e["updated_at"].as_str().unwrap().len() == 19,
        "UTC whole seconds, like every other timestamp"
    );
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/equipment/{id}"),
            Some(&agent.token),
            Some(json!({"name": null})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.status(
            Method::PUT,
            "/api/v1/equipment/999",
            Some(&agent.token),
            Some(json!({"name": "x"}))
        )
        .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn filters_and_the_lookup_lists() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let printers = app.category("Принтеры").await;
    app.equipment("HP 1", "Принтеры").await;
    app.equipment("Dell", "computer").await;
    let admin = app.admin_token().await;
    app.call(
        Method::POST,
        "/api/v1/equipment/",
        Some(&admin),
        Some(json!({"name": "HP 2", "type": "Принтеры", "location": "Каб. 5", "status": "repair"})),
    )
    .await;
    let get = |q: String| {
        let path = format!("/api/v1/equipment/{q}");
        let token = u.token.clone();
        let app = &app;
        async move { app.call(Method::GET, &path, Some(&token), None).await }
    };
    assert_eq!(
        names(&get(format!("?category_id={printers}&nocache=1")).await.1),
        vec!["HP 1", "HP 2"]
    );
    assert_eq!(
        names(&get("?category_id=999".into()).await.1),
        Vec::<String>::new(),
        "an unknown category has no equipment (B10)"
    );
    assert_eq!(names(&get("?type=computer".into()).await.1), vec!["Dell"]);
    assert_eq!(
        names(&get("?category=computer".into()).await.1),
        vec!["Dell"]
    );
    assert_eq!(
        names(
            &get("?location=%D0%9A%D0%B0%D0%B1.%205&status=repair".into())
                .await
                .1
        ),
        vec!["HP 2"]
    );
    assert_eq!(names(&get("?category_id=".into()).await.1).len(), 3);
    assert_eq!(
        get("?category_id=abc".into()).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, by) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/debug/by-category/{printers}"),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(names(&by), vec!["HP 1", "HP 2"]);
    let (_, none) = app
        .call(
            Method::GET,
            "/api/v1/equipment/debug/by-category/999",
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(none, json!([]));
    let (_, kinds) = app
        .call(
            Method::GET,
            "/api/v1/equipment/categories",
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(
        kinds,
        json!(["computer", "Принтеры", "printer", "monitor", "projector"])
    );
    let (_, locations) = app
        .call(
            Method::GET,
            "/api/v1/equipment/locations",
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(
        locations,
        json!(["Каб. 12", "Каб. 5", "Офис 101", "Офис 102"])
    );
}

#[tokio::test]
async fn maintenance_records_work_with_either_type_field_and_history_returns_them() {
    let app = TestApp::spawn().await;
    let agent = app.user("agent", "agent").await;
    let id = app.equipment("Projector", "projector").await;
    let path = format!("/api/v1/equipment/{id}/maintenance");
    let (status, m) = app
        .call(
            Method::POST,
            &path,
            Some(&agent.token),
            Some(json!({"description": "Чистка", "action_type": "maintenance"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "only action_type, no date (500 before)"
    );
    assert_eq!(
        (
            m["maintenance_type"].clone(),
            m["action_type"].clone(),
            m["performed_by"].clone()
        ),
        (json!("maintenance"), json!("maintenance"), json!(agent.id))
    );
    let (status, m2) = app.call(Method::POST, &path, Some(&agent.token), Some(json!({"description": "Замена лампы", "maintenance_type": "repair", "date": "2020-05-01", "equipment_id": 12345}))).await;
    assert_eq!(
        (
            status,
            m2["performed_at"].clone(),
            m2["date"].clone(),
            m2["equipment_id"].clone()
        ),
        (
            StatusCode::CREATED,
            json!("2020-05-01T00:00:00"),
            json!("2020-05-01"),
            json!(id)
        )
    );
    assert_eq!(
        app.call(
            Method::POST,
            &path,
            Some(&agent.token),
            Some(json!({"description": "x"}))
        )
        .await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"detail": "Необходимо указать тип обслуживания (maintenance_type или action_type)"})
        )
    );
    assert_eq!(
        app.call(
            Method::POST,
            &path,
            Some(&agent.token),
            Some(json!({"description": "x", "action_type": "repair", "date": "01.05.2020"}))
        )
        .await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"detail": "Неверный формат даты. Используйте формат YYYY-MM-DD"})
        )
    );
    assert_eq!(
        app.status(
            Method::POST,
            &path,
            Some(&agent.token),
            Some(json!({"description": "x", "action_type": "polish"}))
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/equipment/999/maintenance",
            Some(&agent.token),
            Some(json!({"description": "x", "action_type": "repair"}))
        )
        .await,
        StatusCode::NOT_FOUND
    );
    let (status, history) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{id}/history"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "500 before whenever records existed"
    );
    let descriptions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions, vec!["Чистка", "Замена лампы"], "newest first");
    let (_, e) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{id}"),
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        e["last_maintenance_date"], m["performed_at"],
        "follows the newest record"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'maintenance'")
            .await,
        2
    );
}

#[tokio::test]
async fn deleting_referenced_equipment_retires_it_and_tickets_stay_readable() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("agent", "agent").await;
    let u = app.user("teacher", "user").await;
    let used = app.equipment("Used", "computer").await;
    let unused = app.equipment("Unused", "computer").await;
    app.call(
        Method::POST,
        &format!("/api/v1/equipment/{unused}/maintenance"),
        Some(&admin),
        Some(json!({"description": "x", "action_type": "other"})),
    )
    .await;
    let (_, t) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&u.token),
            Some(
                json!({"title": "t", "description": "d", "room_number": "1", "equipment_id": used}),
            ),
        )
        .await;
    let (status, body) = app
        .call(
            Method::DELETE,
            "/api/v1/equipment/999",
            Some(&agent.token),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"detail": "Только администраторы могут удалять оборудование"})
        ),
        "the role check comes before the 404"
    );
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/equipment/{used}"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/equipment/{unused}"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.status(
            Method::GET,
            &format!("/api/v1/equipment/{used}"),
            Some(&u.token),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    let (status, ticket) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{}", t["id"]),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(
        (status, ticket["equipment_id"].clone()),
        (StatusCode::OK, json!(used))
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM equipment WHERE id = {used}"))
            .await,
        1,
        "retired, not removed"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM equipment WHERE id = {unused}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM maintenance").await,
        0,
        "records go with a removed item"
    );
}

#[tokio::test]
async fn tickets_filed_against_an_item() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    let other = app.user("other", "user").await;
    let agent = app.user("agent", "agent").await;
    let id = app.equipment("Board", "projector").await;
    for (who, title) in [(&u, "mine"), (&other, "theirs")] {
        app.call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&who.token),
            Some(
                json!({"title": title, "description": "d", "room_number": "1", "equipment_id": id}),
            ),
        )
        .await;
    }
    let r = app
        .req(
            Method::GET,
            &format!("/api/v1/equipment/{id}/tickets"),
            Some(&agent.token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("x-total-count").unwrap(), "2");
    let (_, mine) = app
        .call(
            Method::GET,
            &format!("/api/v1/equipment/{id}/tickets"),
            Some(&u.token),
            None,
        )
        .await;
    let titles: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["mine"], "users see their own tickets only");
    assert_eq!(
        app.status(
            Method::GET,
            "/api/v1/equipment/999/tickets",
            Some(&u.token),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
}
