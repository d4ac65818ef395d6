//! Global HTTP behaviour: trailing slashes, error bodies, root and health, docs, CORS, caching.

use fixdesk_tests::{TestApp, location, status_json};
use reqwest::{Method, StatusCode, header};
use serde_json::json;

#[tokio::test]
async fn slash_toggled_paths_redirect_307_to_the_declared_form() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let host = app.base.trim_start_matches("http://").to_string();
    for (from, to) in [
        ("/api/v1/users", "/api/v1/users/"),
        ("/api/v1/users/1/", "/api/v1/users/1"),
        ("/api/v1/auth/token/", "/api/v1/auth/token"),
        ("/api/v1/users/basic/", "/api/v1/users/basic"),
        (
            "/api/v1/users?skip=1&limit=2",
            "/api/v1/users/?skip=1&limit=2",
        ),
    ] {
        let r = app
            .req(Method::GET, from, Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TEMPORARY_REDIRECT, "{from}");
        assert_eq!(location(&r), format!("http://{host}{to}"), "{from}");
    }
    // 307 keeps the method: a POST to the slash-less collection is redirected, not served.
    let r = app
        .req(Method::POST, "/api/v1/users", Some(&admin))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status(), location(&r)),
        (
            StatusCode::TEMPORARY_REDIRECT,
            format!("http://{host}/api/v1/users/")
        )
    );
}

#[tokio::test]
async fn the_profile_is_served_with_and_without_the_slash() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for path in ["/api/v1/users/me/", "/api/v1/users/me"] {
        let (status, body) = status_json(
            app.req(Method::GET, path, Some(&admin))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["username"].clone()),
            (StatusCode::OK, json!("admin")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_paths_methods_and_bad_path_params_have_json_errors() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (status, body) = status_json(
        app.req(Method::GET, "/api/v1/no-such-thing/1", None)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (StatusCode::NOT_FOUND, json!({"detail": "Not Found"}))
    );
    let (status, body) = status_json(
        app.req(Method::PATCH, "/api/v1/users/1", Some(&admin))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"detail": "Method Not Allowed"})
        )
    );
    let (status, body) = status_json(
        app.req(Method::GET, "/api/v1/users/abc", Some(&admin))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["detail"][0],
        json!({"type": "int_parsing", "loc": ["path", "user_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "abc"})
    );
}

#[tokio::test]
async fn authentication_comes_before_validation() {
    let app = TestApp::spawn().await;
    let r = app
        .req(Method::POST, "/api/v1/users/", None)
        .body("{broken")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let agent = app.user("agent_x", "agent").await;
    let r = app
        .req(Method::POST, "/api/v1/users/", Some(&agent.token))
        .body("{broken")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn root_health_and_docs() {
    let app = TestApp::spawn().await;
    let (status, body) = status_json(app.req(Method::GET, "/", None).send().await.unwrap()).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"message": "Добро пожаловать в систему заявок на ремонт техники"})
        )
    );
    let (status, body) =
        status_json(app.req(Method::GET, "/health", None).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"status": "ok", "version": "1.0.0", "environment": "development", "database": "ok"})
    );
    let (status, spec) = status_json(
        app.req(Method::GET, "/api/v1/openapi.json", None)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/auth/token",
        "/users",
        "/users/basic",
        "/users/me",
        "/users/{user_id}",
    ] {
        assert!(
            spec["paths"].get(path).is_some(),
            "{path} missing from the spec"
        );
    }
    let docs = app.req(Method::GET, "/docs", None).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));
}

#[tokio::test]
async fn api_responses_are_private_and_never_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for path in [
        "/api/v1/users/",
        "/api/v1/users/me/",
        "/api/v1/nope",
        "/health",
    ] {
        let r = app
            .req(Method::GET, path, Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers().get(header::CACHE_CONTROL).unwrap(),
            "private, no-store",
            "{path}"
        );
    }
}

#[tokio::test]
async fn cors_preflight_echoes_origin_and_headers_and_exposes_the_total_count() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/users/"))
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "GET")
        .header(
            "Access-Control-Request-Headers",
            "authorization,cache-control",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers();
    assert_eq!(
        h.get("access-control-allow-origin").unwrap(),
        "http://localhost:3000"
    );
    assert_eq!(h.get("access-control-allow-credentials").unwrap(), "true");
    assert_eq!(
        h.get("access-control-allow-headers").unwrap(),
        "authorization,cache-control"
    );
    let admin = app.admin_token().await;
    let r = app
        .req(Method::GET, "/api/v1/users/", Some(&admin))
        .header("Origin", "http://localhost:3000")
        .send()
        .await
        .unwrap();
    let exposed = r
        .headers()
        .get("access-control-expose-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("x-total-count"), "{exposed}");
    assert_eq!(
        r.headers().get("access-control-allow-origin").unwrap(),
        "http://localhost:3000"
    );
}

#[tokio::test]
async fn configured_origins_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.cors_origins = "https://desk.school.example".into();
    let app = TestApp::spawn_with(settings, dir).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, app.url("/api/v1/users/"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .send()
    };
    let ok = preflight("https://desk.school.example").await.unwrap();
    assert_eq!(
        ok.headers().get("access-control-allow-origin").unwrap(),
        "https://desk.school.example"
    );
    let denied = preflight("https://evil.example").await.unwrap();
    assert!(denied.status().is_client_error());
    assert!(
        denied
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn outside_development_no_other_origin_is_trusted_unless_configured() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.environment = fixdesk_app::Environment::Production;
    let app = TestApp::spawn_with(settings, dir).await;
    let admin = app.admin_token().await;
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/users/"))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::FORBIDDEN);
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let simple = app
        .req(Method::GET, "/api/v1/users/", Some(&admin))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(simple.status(), StatusCode::FORBIDDEN);
    assert!(
        simple
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    // The server's own origin (its pages send Origin on every form) is not CORS at all.
    let own = app.base.clone();
    let same = app
        .req(Method::GET, "/api/v1/users/", Some(&admin))
        .header("Origin", own.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::OK);
    assert!(same.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_configured_origin_list_still_lets_the_servers_own_pages_post() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.cors_origins = "https://desk.school.example".into();
    let app = TestApp::spawn_with(settings, dir).await;
    let page = app.client.get(app.url("/ui/login")).send().await.unwrap();
    let pre = fixdesk_tests::set_cookie(&page, "fixdesk_pre").unwrap();
    let html = page.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let sign_in = app
        .client
        .post(app.url("/ui/login"))
        .header("Origin", app.base.as_str())
        .header("Cookie", pre.split(';').next().unwrap())
        .form(&[
            ("csrf", &html[at..at + 64]),
            ("username", "admin"),
            ("password", fixdesk_tests::ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        sign_in.status(),
        StatusCode::SEE_OTHER,
        "signed in from its own page"
    );
}

#[tokio::test]
async fn large_bodies_are_compressed_as_the_client_accepts_small_ones_are_not() {
    let app = TestApp::spawn().await;
    let plain = app
        .req(Method::GET, "/api/v1/openapi.json", None)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let gzip = app
        .req(Method::GET, "/api/v1/openapi.json", None)
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert!(
        gzip.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("Accept-Encoding")
    );
    let body = gzip.bytes().await.unwrap();
    assert_eq!(&body[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(
        body.len() * 3 < plain.len(),
        "{} vs {}",
        body.len(),
        plain.len()
    );
    let br = app
        .req(Method::GET, "/api/v1/openapi.json", None)
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    let small = app
        .req(Method::GET, "/", None)
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(
        small.headers().get("content-encoding").is_none(),
        "under 1 KiB stays plain"
    );
    assert_eq!(
        small.json::<serde_json::Value>().await.unwrap()["message"],
        "Добро пожаловать в систему заявок на ремонт техники"
    );
}

#[tokio::test]
async fn readiness_follows_the_database_and_its_migrations() {
    let app = TestApp::spawn().await;
    let (status, body) =
        status_json(app.req(Method::GET, "/ready", None).send().await.unwrap()).await;
    assert_eq!(
        (status, body["status"].clone()),
        (StatusCode::OK, json!("ready"))
    );
    app.exec(
        "DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)",
    )
    .await;
    // Readiness is checked for real at most once a second.
    let body = app.until_ready_is(StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(body["detail"], json!("1 migration(s) pending"));
    assert_eq!(
        app.req(Method::GET, "/health", None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK,
        "liveness is another question"
    );
}

#[tokio::test]
async fn metrics_count_requests_per_route_for_loopback_scrapers() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for _ in 0..3 {
        app.req(Method::GET, "/api/v1/users/7", Some(&admin))
            .send()
            .await
            .unwrap();
    }
    app.req(Method::GET, "/api/v1/users/me/", Some(&admin))
        .send()
        .await
        .unwrap();
    let r = app.req(Method::GET, "/metrics", None).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(
        text.contains(
            r#"fixdesk_http_requests_total{method="GET",route="/api/v1/users/{}",status="404"} 3"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/api/v1/users/me/",status="200"} 1"#),
        "the most specific route wins"
    );
    assert!(text.contains("fixdesk_http_request_duration_seconds_bucket"));
    assert!(text.contains("fixdesk_http_requests_in_flight"));
    assert!(text.contains("fixdesk_db_pool_write_connections"));
    assert!(text.contains("fixdesk_jobs_queued 0"), "{text}");
}

#[tokio::test]
async fn a_metrics_token_is_required_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.metrics_token = Some("scrape-me".into());
    let app = TestApp::spawn_with(settings, dir).await;
    assert_eq!(
        app.req(Method::GET, "/metrics", None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.req(Method::GET, "/metrics", Some("scrape-me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}
