//! Text fields hold text: control characters (NUL first of all, which PostgreSQL cannot even
//! store) are refused with a 422 naming the field, everywhere text comes in; bidirectional
//! overrides are removed from titles and file names.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The `(type, loc)` of each item of a 422 answer.
fn refusals(body: &Value) -> Vec<(String, Value)> {
    body["detail"]
        .as_array()
        .unwrap_or_else(|| panic!("a 422 list: {body}"))
        .iter()
        .map(|i| (i["type"].as_str().unwrap().to_string(), i["loc"].clone()))
        .collect()
}

const CONTROL: &str = "string_control_characters";

#[tokio::test]
async fn control_characters_are_refused_in_bodies_queries_and_sign_in() {
    let app = TestApp::spawn().await;
    let user = app.user("writer", "user").await;
    let admin = app.admin_token().await;
    let ticket = |title: &str, description: &str| {
        app.call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(json!({"title": title, "description": description, "room_number": "1"})),
        )
    };
    let (status, body) = ticket("a\u{0}b", "x").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refusals(&body),
        vec![(CONTROL.into(), json!(["body", "title"]))]
    );
    let (status, body) = ticket("ok", "\u{1b}[31mred").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refusals(&body),
        vec![(CONTROL.into(), json!(["body", "description"]))]
    );
    // Tabs and line breaks are text.
    let (status, created) = ticket("ok", "line one\r\n\tline two").await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();

    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&user.token),
            Some(json!({"message": "nul\u{0}"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&admin),
            Some(json!({"name": "Printer", "category": "Принтеры", "model": "M\u{0}"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refusals(&body),
        vec![(CONTROL.into(), json!(["body", "model"]))]
    );

    for path in [
        "/api/v1/tickets/?search=%00",
        "/api/v1/equipment/?location=%00",
        "/api/v1/audit-logs/?action_type=%07",
    ] {
        let (status, body) = app.call(Method::GET, path, Some(&admin), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(refusals(&body)[0].1[0], json!("query"), "{path}");
    }

    let r = app.login("adm\u{0}in", "whatever").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "x\u{0}", "password": "y"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The pages refuse it too, without a server error.
    let r = app
        .client
        .get(app.url("/ui/tickets?q=%00"))
        .header("Cookie", format!("fixdesk_session={}", user.token))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tickets").await,
        1,
        "only the clean ticket was stored"
    );
}

#[tokio::test]
async fn bidirectional_overrides_are_removed_from_titles_and_file_names() {
    let app = TestApp::spawn().await;
    let user = app.user("writer", "user").await;
    let t = app.ticket(&user.token, "Счёт\u{202E}fdp.exe").await;
    assert_eq!(t["title"], "Счётfdp.exe");
    let id = t["id"].as_i64().unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"plain text".to_vec()).file_name("notes\u{202E}gnp.txt"),
    );
    let r = app
        .req(
            Method::POST,
            &format!("/api/v1/attachments/upload/{id}"),
            Some(&user.token),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["filename"], "notesgnp.txt");
}

#[tokio::test]
async fn one_line_fields_refuse_tabs_and_line_breaks_and_names_lose_bidi_overrides() {
    let app = TestApp::spawn().await;
    let user = app.user("liner", "user").await;
    let admin = app.admin_token().await;
    for (title, room) in [("two\nlines", "1"), ("tab\there", "1"), ("ok", "2\r14")] {
        let (status, body) = app
            .call(
                Method::POST,
                "/api/v1/tickets/",
                Some(&user.token),
                Some(json!({"title": title, "description": "a\nb\tc", "room_number": room})),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{title:?}: {body}"
        );
        let field = if room == "1" { "title" } else { "room_number" };
        assert_eq!(
            refusals(&body),
            vec![(CONTROL.into(), json!(["body", field]))]
        );
    }
    // Multi-line fields keep their lines.
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&user.token),
            Some(json!({"title": "ok", "description": "a\nb\tc", "room_number": "1"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/categories/",
            Some(&admin),
            Some(json!({"name": "Принтеры\nи МФУ"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A display name that would turn its neighbours around loses the override.
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/users/{}", user.id),
            Some(&admin),
            Some(json!({"full_name": "Иван\u{202E}вонавИ"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["full_name"], "ИванвонавИ");
}
