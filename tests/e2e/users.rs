//! User management: shapes, validation, uniqueness, the last-admin rule, deletion.

use fixdesk_tests::{TestApp, status_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post_user(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    status_json(
        app.req(Method::POST, "/api/v1/users/", Some(token))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn put_user(app: &TestApp, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    status_json(
        app.req(Method::PUT, &format!("/api/v1/users/{id}"), Some(token))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn create_returns_201_with_the_contract_shape_and_audits() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (status, body) = post_user(&app, &admin, json!({"username": "mila", "password": "mila-password", "email": "Mila@School.ru", "full_name": "Mila K", "role": "agent", "id": 99})).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["id"].as_i64().unwrap();
    assert_ne!(id, 99, "client ids are ignored");
    assert_eq!(
        body,
        json!({"id": id, "username": "mila", "email": "mila@school.ru", "full_name": "Mila K", "role": "agent", "is_active": true})
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'CREATE' AND entity_type = 'user' AND entity_id = {id} AND user_id = 1")).await, 1);
    let (_, defaults) = post_user(
        &app,
        &admin,
        json!({"username": "plain", "password": "plain-password", "email": ""}),
    )
    .await;
    assert_eq!(
        (defaults["role"].clone(), defaults["email"].clone()),
        (json!("user"), Value::Null)
    );
}

#[tokio::test]
async fn create_validates_every_field_and_reports_them_together() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (status, body) = post_user(
        &app,
        &admin,
        json!({"username": "x", "password": "short", "email": "not-an-email", "role": "superuser"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&Value> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["loc"][1])
        .collect();
    assert_eq!(fields, vec!["username", "password", "email", "role"]);
    assert_eq!(body["detail"][3]["input"], "superuser");
    assert_ne!(
        body["detail"][1]["input"], "short",
        "passwords are never echoed"
    );

    let (status, body) = post_user(&app, &admin, json!({"password": "long-enough"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "missing");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "username"]));

    let (status, body) = post_user(
        &app,
        &admin,
        json!({"username": 5, "password": "long-enough"}),
    )
    .await;
    assert_eq!(
        (status, body["detail"][0]["type"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("string_type"))
    );
    assert_eq!(body["detail"][0]["input"], 5);

    let (status, body) = post_user(
        &app,
        &admin,
        json!({"username": "ok_name", "password": "long-enough", "role": null}),
    )
    .await;
    assert_eq!(
        (status, body["role"].clone()),
        (StatusCode::CREATED, json!("user")),
        "a null role means the default"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role NOT IN ('admin','agent','user')")
            .await,
        0
    );
}

#[tokio::test]
async fn malformed_bodies_are_422_never_500() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let send = |body: &'static str, ct: &'static str| {
        app.req(Method::POST, "/api/v1/users/", Some(&admin))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let (status, body) = status_json(send("{not json", "application/json").await.unwrap()).await;
    assert_eq!(
        (status, body["detail"][0]["type"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("json_invalid"))
    );
    let (status, body) = status_json(send("", "application/json").await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["detail"][0],
        json!({"type": "missing", "loc": ["body"], "msg": "Field required", "input": null})
    );
    let (status, _) = status_json(
        send("username=a&password=b", "application/x-www-form-urlencoded")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old service answered 500 here"
    );
    let (status, body) = status_json(send("[1,2]", "application/json").await.unwrap()).await;
    assert_eq!(
        (status, body["detail"][0]["type"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("model_attributes_type")
        )
    );
}

#[tokio::test]
async fn duplicates_are_400_on_create_and_on_update() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, a) = post_user(
        &app,
        &admin,
        json!({"username": "anna", "password": "anna-password", "email": "anna@x.ru"}),
    )
    .await;
    let (_, b) = post_user(
        &app,
        &admin,
        json!({"username": "boris", "password": "boris-password", "email": "boris@x.ru"}),
    )
    .await;
    let email_taken = json!({"detail": "Email уже зарегистрирован в системе"});
    let name_taken = json!({"detail": "Имя пользователя уже занято"});
    // E-mail is checked first, as before, and compared case-insensitively.
    assert_eq!(
        post_user(
            &app,
            &admin,
            json!({"username": "anna", "password": "xxxxxxxx", "email": "ANNA@x.ru"})
        )
        .await,
        (StatusCode::BAD_REQUEST, email_taken.clone())
    );
    assert_eq!(
        post_user(
            &app,
            &admin,
            json!({"username": "anna", "password": "xxxxxxxx"})
        )
        .await,
        (StatusCode::BAD_REQUEST, name_taken.clone())
    );
    let b_id = b["id"].as_i64().unwrap();
    assert_eq!(
        put_user(&app, &admin, b_id, json!({"email": "Anna@X.ru"})).await,
        (StatusCode::BAD_REQUEST, email_taken)
    );
    assert_eq!(
        put_user(&app, &admin, b_id, json!({"username": "anna"})).await,
        (StatusCode::BAD_REQUEST, name_taken)
    );
    // Keeping one's own name and e-mail is no conflict.
    let a_id = a["id"].as_i64().unwrap();
    assert_eq!(
        put_user(
            &app,
            &admin,
            a_id,
            json!({"username": "anna", "email": "anna@x.ru"})
        )
        .await
        .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn update_applies_the_keys_present_and_refuses_nulls_where_a_value_is_required() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, u) = post_user(&app, &admin, json!({"username": "petr", "password": "petr-password", "email": "petr@x.ru", "full_name": "Petr"})).await;
    let id = u["id"].as_i64().unwrap();
    let (status, body) = put_user(
        &app,
        &admin,
        id,
        json!({"email": null, "full_name": "Пётр", "id": 555}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"id": id, "username": "petr", "email": null, "full_name": "Пётр", "role": "user", "is_active": true})
    );
    for field in ["username", "role", "is_active", "password"] {
        let (status, body) = put_user(&app, &admin, id, json!({ field: null })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: null");
        assert_eq!(body["detail"][0]["loc"], json!(["body", field]));
    }
    let (status, _) = put_user(&app, &admin, id, json!({"role": "root"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = put_user(&app, &admin, 9999, json!({"full_name": "x"})).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "Пользователь не найден"})
        )
    );
    let audit = app
        .sql(&format!(
            "SELECT new_values FROM audit_logs WHERE action_type = 'UPDATE' AND entity_id = {id}"
        ))
        .await;
    assert_eq!(audit.len(), 1, "refused updates leave no audit row");
    let new_values: Value = serde_json::from_str(audit[0].as_str().unwrap()).unwrap();
    assert_eq!(
        new_values,
        json!({"email": null, "full_name": "Пётр"}),
        "only the changed fields are recorded"
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_deactivated_or_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let last_admin = json!({"detail": "Нельзя понизить, деактивировать или удалить последнего активного администратора"});
    assert_eq!(
        put_user(&app, &admin, 1, json!({"role": "agent"})).await,
        (StatusCode::BAD_REQUEST, last_admin.clone())
    );
    assert_eq!(
        put_user(&app, &admin, 1, json!({"is_active": false})).await,
        (StatusCode::BAD_REQUEST, last_admin.clone())
    );
    let second = app.user("second_admin", "admin").await;
    let r = app
        .req(Method::DELETE, "/api/v1/users/1", Some(&second.token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NO_CONTENT,
        "with another admin left, deletion is allowed"
    );
    let (status, body) = status_json(
        app.req(
            Method::DELETE,
            &format!("/api/v1/users/{}", second.id),
            Some(&second.token),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Нельзя удалить собственный аккаунт"})
        )
    );
    assert_eq!(
        put_user(&app, &second.token, second.id, json!({"role": "user"})).await,
        (StatusCode::BAD_REQUEST, last_admin)
    );
}

#[tokio::test]
async fn deleted_users_keep_their_name_on_records_and_their_ids_are_never_reused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let gone = app.user("leaving", "agent").await;
    let r = app
        .req(
            Method::DELETE,
            &format!("/api/v1/users/{}", gone.id),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app
        .req(
            Method::DELETE,
            &format!("/api/v1/users/{}", gone.id),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "a deleted user is gone for the API"
    );
    assert_eq!(
        app.login("leaving", &gone.password).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The row still names them, so the audit rows pointing at it stay meaningful.
    let name = app
        .sql(&format!(
            "SELECT username FROM users WHERE id = {}",
            gone.id
        ))
        .await;
    assert_eq!(name, vec![json!("leaving")]);
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE user_id = {}",
            gone.id
        ))
        .await
            >= 1
    );
    // The name is free again, under a new id.
    let again = app.user("leaving", "user").await;
    assert!(again.id > gone.id);
    // Even a hard-deleted highest id is not handed out again.
    app.exec(&format!(
        "DELETE FROM audit_logs WHERE user_id = {} OR entity_id = {}",
        again.id, again.id
    ))
    .await;
    app.exec(&format!(
        "DELETE FROM sessions WHERE user_id = {}",
        again.id
    ))
    .await;
    app.exec(&format!("DELETE FROM users WHERE id = {}", again.id))
        .await;
    let next = app.user("newcomer", "user").await;
    assert!(next.id > again.id, "{} reused {}", next.id, again.id);
    let listed: Vec<i64> = status_json(
        app.req(Method::GET, "/api/v1/users/", Some(&admin))
            .send()
            .await
            .unwrap(),
    )
    .await
    .1
    .as_array()
    .unwrap()
    .iter()
    .map(|u| u["id"].as_i64().unwrap())
    .collect();
    assert!(!listed.contains(&gone.id));
}

#[tokio::test]
async fn lists_page_in_id_order_and_the_directory_shows_names_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for n in ["u_one", "u_two", "u_three"] {
        app.user(n, "user").await;
    }
    let page = |q: &'static str| {
        app.req(Method::GET, &format!("/api/v1/users/{q}"), Some(&admin))
            .send()
    };
    let (_, all) = status_json(page("").await.unwrap()).await;
    let ids: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 2, 3, 4]);
    let (_, window) = status_json(page("?skip=1&limit=2&_nocache=123").await.unwrap()).await;
    assert_eq!(
        window
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![2, 3]
    );
    let (status, _) = status_json(page("?limit=abc").await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let user = app.token("u_one", fixdesk_tests::USER_PASSWORD).await;
    let (status, dir) = status_json(
        app.req(Method::GET, "/api/v1/users/basic", Some(&user))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        dir[1],
        json!({"id": 2, "full_name": "u_one full", "username": "u_one", "role": "user"})
    );
    assert_eq!(dir.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn change_password_checks_the_current_one_first_then_the_new_ones_length() {
    let app = TestApp::spawn().await;
    let u = app.user("olga", "user").await;
    let change = |current: &str, new: &str| {
        app.req(
            Method::POST,
            "/api/v1/users/me/change-password",
            Some(&u.token),
        )
        .json(&json!({"current_password": current, "new_password": new}))
        .send()
    };
    let (status, body) = status_json(change("wrong-current", "short").await.unwrap()).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Неверный текущий пароль"})
        )
    );
    let (status, body) = status_json(change(&u.password, "short").await.unwrap()).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Новый пароль должен содержать не менее 8 символов"})
        )
    );
    let (status, _) = status_json(change(&u.password, &"x".repeat(129)).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = status_json(
        app.req(
            Method::POST,
            "/api/v1/users/me/change-password",
            Some(&u.token),
        )
        .json(&json!({"new_password": "abcdefgh"}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["detail"][0]["loc"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!(["body", "current_password"])
        )
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE description LIKE '%сменил пароль%'")
            .await,
        0
    );
    assert_eq!(
        change(&u.password, "a-good-new-one")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE description LIKE '%сменил пароль%'")
            .await,
        1
    );
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    for round in 0..5 {
        let app = TestApp::spawn().await;
        let second = app.user("second_admin", "admin").await;
        let first = app.admin_token().await;
        let (_, me) = app
            .call(Method::GET, "/api/v1/users/me", Some(&first), None)
            .await;
        let first_id = me["id"].as_i64().unwrap();
        let (to_second, to_first) = (
            format!("/api/v1/users/{}", second.id),
            format!("/api/v1/users/{first_id}"),
        );
        let body = || Some(json!({"role": "user"}));
        let (a, b) = tokio::join!(
            app.call(Method::PUT, &to_second, Some(&first), body()),
            app.call(Method::PUT, &to_first, Some(&second.token), body())
        );
        let statuses = [a.0, b.0];
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active AND deleted_at IS NULL"
            )
            .await,
            1,
            "round {round}: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "round {round}: exactly one demotion wins: {statuses:?} {a:?} {b:?}"
        );
    }
}
