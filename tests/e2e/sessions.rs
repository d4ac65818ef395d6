//! Tokens and their sessions: what makes a token invalid, and what ends a session.

use fixdesk_tests::{TEST_SECRET, TestApp, status_json};
use jsonwebtoken::{EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn me_status(app: &TestApp, token: &str) -> (StatusCode, serde_json::Value) {
    status_json(
        app.req(Method::GET, "/api/v1/users/me/", Some(token))
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn sign(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn missing_or_non_bearer_credentials_are_not_authenticated() {
    let app = TestApp::spawn().await;
    let r = app
        .req(Method::GET, "/api/v1/users/me/", None)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap()),
        Some("Bearer")
    );
    let (status, body) = status_json(r).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            json!({"detail": "Not authenticated"})
        )
    );
    let basic = app
        .client
        .get(app.url("/api/v1/users/me/"))
        .header("Authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_scheme_is_case_insensitive() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let r = app
        .client
        .get(app.url("/api/v1/users/me/"))
        .header("Authorization", format!("bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn forged_expired_exp_less_and_garbage_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let real = app.admin_token().await;
    let sid = app.sql("SELECT id FROM sessions").await[0]
        .as_str()
        .unwrap()
        .to_string();
    let good = sign(
        json!({"sub": "admin", "sid": sid, "exp": now() + 600, "iat": now()}),
        TEST_SECRET,
    );
    assert_eq!(
        me_status(&app, &good).await.0,
        StatusCode::OK,
        "a correctly signed token for a live session works"
    );

    let forged = sign(
        json!({"sub": "admin", "sid": sid, "exp": now() + 600}),
        "your-super-secret-key-here-change-for-production",
    );
    let expired = sign(
        json!({"sub": "admin", "sid": sid, "exp": now() - 600}),
        TEST_SECRET,
    );
    let no_exp = sign(json!({"sub": "admin", "sid": sid}), TEST_SECRET);
    let no_session = sign(json!({"sub": "admin", "exp": now() + 600}), TEST_SECRET);
    let unknown_session = sign(
        json!({"sub": "admin", "sid": "nope", "exp": now() + 600}),
        TEST_SECRET,
    );
    for (name, token) in [
        ("forged", forged),
        ("expired", expired),
        ("no exp", no_exp),
        ("no sid", no_session),
        ("unknown sid", unknown_session),
        ("garbage", "abc.def.ghi".into()),
    ] {
        let (status, body) = me_status(&app, &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(body["detail"], "Некорректные учетные данные", "{name}");
    }
    assert_eq!(me_status(&app, &real).await.0, StatusCode::OK);
}

#[tokio::test]
async fn logout_ends_that_session_only_and_is_audited() {
    let app = TestApp::spawn().await;
    let first = app.admin_token().await;
    let second = app.admin_token().await;
    let (status, body) = status_json(
        app.req(Method::POST, "/api/v1/auth/logout", Some(&first))
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"detail": "Successfully logged out"}))
    );
    assert_eq!(me_status(&app, &first).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&app, &second).await.0, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGOUT'")
            .await,
        1
    );
}

#[tokio::test]
async fn deactivation_role_change_and_deletion_end_sessions_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let a = app.user("agent_a", "agent").await;
    let b = app.user("agent_b", "agent").await;
    let c = app.user("user_c", "user").await;
    for t in [&a.token, &b.token, &c.token] {
        assert_eq!(me_status(&app, t).await.0, StatusCode::OK);
    }
    let put = |id: i64, body: serde_json::Value| {
        app.req(Method::PUT, &format!("/api/v1/users/{id}"), Some(&admin))
            .json(&body)
            .send()
    };
    assert_eq!(
        put(a.id, json!({"is_active": false}))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        put(b.id, json!({"role": "user"})).await.unwrap().status(),
        StatusCode::OK
    );
    let del = app
        .req(
            Method::DELETE,
            &format!("/api/v1/users/{}", c.id),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    for (who, t) in [
        ("deactivated", &a.token),
        ("demoted", &b.token),
        ("deleted", &c.token),
    ] {
        assert_eq!(
            me_status(&app, t).await.0,
            StatusCode::UNAUTHORIZED,
            "{who}"
        );
    }
    // A rename changes nothing about the right to be signed in.
    let d = app.user("user_d", "user").await;
    assert_eq!(
        put(d.id, json!({"full_name": "Dee"}))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let (status, me) = me_status(&app, &d.token).await;
    assert_eq!(
        (status, me["full_name"].clone()),
        (StatusCode::OK, json!("Dee"))
    );
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn().await;
    let u = app.user("walter", "user").await;
    let other = app.token("walter", &u.password).await;
    let r = app
        .req(
            Method::POST,
            "/api/v1/users/me/change-password",
            Some(&u.token),
        )
        .json(&json!({"current_password": u.password, "new_password": "brand-new-pass"}))
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(r).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"message": "Пароль успешно изменен"}))
    );
    assert_eq!(me_status(&app, &u.token).await.0, StatusCode::OK);
    assert_eq!(me_status(&app, &other).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login("walter", &u.password).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.token("walter", "brand-new-pass").await;
}

#[tokio::test]
async fn an_admin_password_reset_ends_the_users_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("rita", "agent").await;
    let r = app
        .req(
            Method::PUT,
            &format!("/api/v1/users/{}", u.id),
            Some(&admin),
        )
        .json(&json!({"password": "reset-by-admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(me_status(&app, &u.token).await.0, StatusCode::UNAUTHORIZED);
    app.token("rita", "reset-by-admin").await;
}
