//! Signing in: the token endpoint's forms, errors, auditing and legacy hashes.

use fixdesk_tests::{ADMIN_PASSWORD, TestApp, status_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn form_login_returns_a_bearer_token_that_works() {
    let app = TestApp::spawn().await;
    let (status, body) = status_json(app.login("admin", ADMIN_PASSWORD).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(2),
        "only access_token and token_type: {body}"
    );
    let token = body["access_token"].as_str().unwrap();
    let (status, me) = status_json(
        app.req(Method::GET, "/api/v1/users/me/", Some(token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
}

#[tokio::test]
async fn json_and_multipart_logins_are_accepted_too() {
    let app = TestApp::spawn().await;
    let json_login = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_login.status(), StatusCode::OK);
    let form = reqwest::multipart::Form::new()
        .text("username", "admin")
        .text("password", ADMIN_PASSWORD);
    let multipart = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(multipart.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401_and_are_audited() {
    let app = TestApp::spawn().await;
    let (s1, b1) = status_json(app.login("admin", "wrong-password").await).await;
    let (s2, b2) = status_json(app.login("nobody", "wrong-password").await).await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        b1,
        json!({"detail": "Неверное имя пользователя или пароль"})
    );
    assert_eq!(b1, b2);
    // Usernames are case-sensitive, as they always were.
    assert_eq!(
        app.login("ADMIN", ADMIN_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN_FAILED'")
            .await,
        3
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN_FAILED' AND user_id = 1"
        )
        .await,
        1,
        "a failed login on a real account names it"
    );
    app.token("admin", ADMIN_PASSWORD).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN' AND user_id = 1")
            .await,
        1
    );
}

#[tokio::test]
async fn missing_fields_and_bad_grant_type_are_422_with_field_names() {
    let app = TestApp::spawn().await;
    let r = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let locs: Vec<&Value> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["loc"])
        .collect();
    assert_eq!(
        locs,
        vec![&json!(["body", "username"]), &json!(["body", "password"])]
    );
    assert_eq!(body["detail"][0]["type"], "missing");
    assert_eq!(body["detail"][0]["msg"], "Field required");

    let r = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .form(&[
            ("username", "admin"),
            ("password", ADMIN_PASSWORD),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "string_pattern_mismatch");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "grant_type"]));
}

#[tokio::test]
async fn inactive_users_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let bob = app.user("bob", "user").await;
    let admin = app.admin_token().await;
    let r = app
        .req(
            Method::PUT,
            &format!("/api/v1/users/{}", bob.id),
            Some(&admin),
        )
        .json(&json!({"is_active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (status, body) = status_json(app.login("bob", &bob.password).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["detail"], "Неактивный пользователь");
    // A wrong password for an inactive account reveals nothing about its state.
    assert_eq!(
        app.login("bob", "not-his-password").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bcrypt_hashes_of_the_old_service_sign_in_and_are_rehashed_to_argon2id() {
    let app = TestApp::spawn().await;
    let teacher = app.user("teacher", "user").await;
    let legacy = bcrypt::hash("benchpass123", 4).unwrap();
    app.exec(&format!(
        "UPDATE users SET hashed_password = '{legacy}' WHERE id = {}",
        teacher.id
    ))
    .await;
    assert_eq!(
        app.login("teacher", "wrong-one-123").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let stored = app
        .sql(&format!(
            "SELECT hashed_password FROM users WHERE id = {}",
            teacher.id
        ))
        .await;
    assert!(
        stored[0].as_str().unwrap().starts_with("$2"),
        "a failed login must not touch the hash"
    );

    app.token("teacher", "benchpass123").await;
    let stored = app
        .sql(&format!(
            "SELECT hashed_password FROM users WHERE id = {}",
            teacher.id
        ))
        .await;
    assert!(
        stored[0]
            .as_str()
            .unwrap()
            .starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
        "{stored:?}"
    );
    app.token("teacher", "benchpass123").await;
}

#[tokio::test]
async fn brute_force_is_bounded_per_address_and_per_account_without_locking_the_owner_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.trusted_proxies = "127.0.0.1".into();
    let app = TestApp::spawn_with(settings, dir).await;
    app.user("victim", "user").await;
    let attempt = |ip: String, password: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/token"))
            .header("X-Forwarded-For", ip)
            .form(&[("username", "victim"), ("password", password)])
            .send()
    };
    // The owner has signed in from their usual address before.
    assert_eq!(
        attempt("10.0.0.5".into(), fixdesk_tests::USER_PASSWORD)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // One address: ten misses, then refused without even trying the password.
    for _ in 0..10 {
        assert_eq!(
            attempt("10.0.1.1".into(), "guess-guess")
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = attempt("10.0.1.1".into(), fixdesk_tests::USER_PASSWORD)
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "900");
    // A distributed attack: ninety more misses from nine more addresses bring the account to a
    // hundred failures this hour (the refusal above is not a failure and does not count).
    for n in 0..90 {
        let ip = format!("10.0.1.{}", 2 + n / 10);
        assert_eq!(
            attempt(ip, "guess-guess").await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Now a fresh address is refused, even with the right password …
    let fresh = attempt("10.0.2.1".into(), fixdesk_tests::USER_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        (
            fresh.status(),
            fresh.headers()["retry-after"].to_str().unwrap()
        ),
        (StatusCode::TOO_MANY_REQUESTS, "3600")
    );
    // … while the owner, from their usual address, still gets in.
    assert_eq!(
        attempt("10.0.0.5".into(), fixdesk_tests::USER_PASSWORD)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Refused again from both locked-out places: still one audit row for each lockout.
    for ip in ["10.0.1.1", "10.0.2.1"] {
        let again = attempt(ip.into(), "guess-guess").await.unwrap();
        assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN_FAILED'")
            .await,
        102,
        "a hundred failures and the first refusal of each lockout"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_failures").await,
        100,
        "refusals are not failures"
    );
    // Other accounts are untouched.
    assert_eq!(
        app.login("admin", fixdesk_tests::ADMIN_PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn concurrent_guesses_cannot_get_past_the_bound() {
    let app = TestApp::spawn().await;
    app.user("victim", "user").await;
    let guesses =
        (0..60).map(|i| app.login("victim", if i % 2 == 0 { "guess-one" } else { "guess-two" }));
    let statuses: Vec<StatusCode> = futures::future::join_all(guesses)
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    let tried = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| {
            [
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE,
            ]
            .contains(s)
        })
        .count();
    assert!(tried <= 10, "{tried} passwords were tried: {statuses:?}");
    assert_eq!(tried + refused, 60, "{statuses:?}");
    assert!(tried >= 1);
}

#[tokio::test]
async fn a_class_signing_in_at_once_on_one_account_is_asked_to_wait_never_locked_out() {
    let app = TestApp::spawn().await;
    app.user("class7b", "user").await;
    let sign_ins = (0..64).map(|_| app.login("class7b", fixdesk_tests::USER_PASSWORD));
    let answers = futures::future::join_all(sign_ins).await;
    let mut signed_in = 0;
    for r in &answers {
        match r.status() {
            StatusCode::OK => signed_in += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(r.headers().contains_key("retry-after"), "{r:?}");
            }
            other => panic!("a right password answered {other}"),
        }
    }
    assert!(signed_in >= 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_failures").await,
        0,
        "waiting is not failing"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN_FAILED'")
            .await,
        0
    );
    assert_eq!(
        app.login("class7b", fixdesk_tests::USER_PASSWORD)
            .await
            .status(),
        StatusCode::OK,
        "the next sign-in goes through"
    );
}

#[tokio::test]
async fn a_lockout_looks_the_same_for_a_name_nobody_has() {
    let app = TestApp::spawn().await;
    app.user("realname", "user").await;
    let mut answers = Vec::new();
    for name in ["realname", "nobody-has-this"] {
        for _ in 0..10 {
            assert_eq!(
                app.login(name, "guess-guess").await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
        let r = app.login(name, "guess-guess").await;
        let retry = fixdesk_tests::header(&r, "retry-after");
        answers.push((r.status(), retry, r.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[0], answers[1], "the same refusal for both");
}
