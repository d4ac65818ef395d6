//! Categories: reading, admin writes, uniqueness and soft/hard deletion.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn admins_manage_categories_and_names_are_unique() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (status, c) = app
        .call(
            Method::POST,
            "/api/v1/categories/",
            Some(&admin),
            Some(json!({"name": "Компьютеры", "description": "ПК"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (
            c["name"].clone(),
            c["is_active"].clone(),
            c["updated_at"].clone()
        ),
        (json!("Компьютеры"), json!(true), Value::Null)
    );
    let id = c["id"].as_i64().unwrap();
    let taken = json!({"detail": "Категория с таким именем уже существует"});
    assert_eq!(
        app.call(
            Method::POST,
            "/api/v1/categories/",
            Some(&admin),
            Some(json!({"name": "Компьютеры"}))
        )
        .await,
        (StatusCode::BAD_REQUEST, taken.clone())
    );
    let other = app.category("Принтеры").await;
    assert_eq!(
        app.call(
            Method::PUT,
            &format!("/api/v1/categories/{other}"),
            Some(&admin),
            Some(json!({"name": "Компьютеры"}))
        )
        .await,
        (StatusCode::BAD_REQUEST, taken)
    );
    let (status, c2) = app
        .call(
            Method::PUT,
            &format!("/api/v1/categories/{id}"),
            Some(&admin),
            Some(json!({"description": ""})),
        )
        .await;
    assert_eq!(
        (
            status,
            c2["description"].clone(),
            c2["updated_at"].is_string()
        ),
        (StatusCode::OK, json!(""), true)
    );
    for body in [
        json!({"name": "X", "description": null}),
        json!({"name": null}),
    ] {
        let method = if body["name"].is_null() {
            Method::PUT
        } else {
            Method::POST
        };
        let path = if method == Method::PUT {
            format!("/api/v1/categories/{id}")
        } else {
            "/api/v1/categories/".into()
        };
        assert_eq!(
            app.status(method, &path, Some(&admin), Some(body)).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        app.call(Method::GET, "/api/v1/categories/999", Some(&admin), None)
            .await,
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "Категория не найдена"})
        )
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'category'")
            .await,
        3,
        "two creates and one update; refusals write nothing"
    );
}

#[tokio::test]
async fn a_used_category_is_deactivated_and_an_unused_one_removed() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    let used = app.category("Используемая").await;
    let unused = app.category("Пустая").await;
    app.call(
        Method::POST,
        "/api/v1/tickets/",
        Some(&u.token),
        Some(json!({"title": "t", "description": "d", "room_number": "1", "category_id": used})),
    )
    .await;
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/categories/{used}"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.status(
            Method::DELETE,
            &format!("/api/v1/categories/{unused}"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::NO_CONTENT
    );
    let (_, c) = app
        .call(
            Method::GET,
            &format!("/api/v1/categories/{used}"),
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(c["is_active"], false, "still readable, e.g. on old tickets");
    assert_eq!(
        app.status(
            Method::GET,
            &format!("/api/v1/categories/{unused}"),
            Some(&u.token),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    let names = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (_, active) = app
        .call(
            Method::GET,
            "/api/v1/categories/?show_all=false&nocache=1&only_active=true",
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(names(&active), Vec::<String>::new());
    let (_, all) = app
        .call(
            Method::GET,
            "/api/v1/categories/?show_all=true",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(names(&all), vec!["Используемая"]);
    let (_, users_all) = app
        .call(
            Method::GET,
            "/api/v1/categories/?show_all=true",
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(
        names(&users_all),
        vec!["Используемая"],
        "show_all returns inactive categories to any signed-in role, as the contract says"
    );
}

#[tokio::test]
async fn tickets_categories_is_served_not_shadowed() {
    let app = TestApp::spawn().await;
    let u = app.user("teacher", "user").await;
    app.category("Сеть").await;
    let (status, list) = app
        .call(
            Method::GET,
            "/api/v1/tickets/categories",
            Some(&u.token),
            None,
        )
        .await;
    assert_eq!(
        (status, list[0]["name"].clone()),
        (StatusCode::OK, json!("Сеть"))
    );
}
