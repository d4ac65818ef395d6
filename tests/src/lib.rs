//! The end-to-end test harness. [`TestApp::spawn`] builds the real application through the
//! same [`Application::build`] the server binary uses, on `127.0.0.1:0` with a fresh SQLite
//! file, and hands out typed helpers for the requests tests make over and over.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod smtp_sink;
mod sse;

pub use sse::Sse;

use std::time::Duration;

use fixdesk_app::{Application, Settings};
use fixdesk_service::Fixdesk;
use reqwest::{Method, RequestBuilder, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// The password of the seeded `admin` in every test app.
pub const ADMIN_PASSWORD: &str = "admin-password-1";
/// The signing secret of test apps, so tests can mint forged or expired tokens.
pub const TEST_SECRET: &str = "test-secret-0123456789-0123456789-abcdef";
/// The password helper-created users get.
pub const USER_PASSWORD: &str = "user-password-1";

#[derive(Debug)]
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub service: Fixdesk,
    pub settings: Settings,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    dir: tempfile::TempDir,
}

/// A user created through the API, signed in.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub username: String,
    pub password: String,
    pub token: String,
}

pub fn settings_for(dir: &std::path::Path) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database_url: dir.join("fixdesk.db").display().to_string(),
        data_dir: dir.join("data").display().to_string(),
        secret_key: Some(TEST_SECRET.into()),
        admin_password: Some(ADMIN_PASSWORD.into()),
        shutdown_grace_secs: 2,
        ..Settings::default()
    }
}

impl TestApp {
    /// A fresh application with its own database.
    pub async fn spawn() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = settings_for(dir.path());
        Self::spawn_with(settings, dir).await
    }

    /// An application with the given settings; `dir` lives as long as the app.
    /// With `FIXDESK_TEST_DATABASE_URL` set to a PostgreSQL server, the app gets its own
    /// database there (named after `dir`, so a restart finds it again) instead of an SQLite
    /// file.
    pub async fn spawn_with(mut settings: Settings, dir: tempfile::TempDir) -> Self {
        if let Some(url) = postgres_database_for(&settings, dir.path()).await {
            settings.database_url = url;
        }
        let app = Application::build(&settings)
            .await
            .expect("application builds");
        let base = format!("http://{}", app.local_addr());
        let service = app.service().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            app.run_until(async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        Self {
            base,
            client,
            service,
            settings,
            shutdown: Some(tx),
            server: Some(server),
            dir,
        }
    }

    /// Stops the server gracefully and returns the directory holding its database.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            h.await.expect("server task");
        }
        let dir = tempfile::tempdir().expect("temp dir");
        std::mem::replace(&mut self.dir, dir)
    }

    /// The directory of this app's files.
    pub fn data_dir(&self) -> std::path::PathBuf {
        std::path::PathBuf::from(&self.settings.data_dir)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request with an optional bearer token.
    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let r = self.client.request(method, self.url(path));
        match token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/token"))
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .expect("login request")
    }

    /// Signs in and returns the token, failing the test otherwise.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let r = self.login(username, password).await;
        assert_eq!(r.status(), StatusCode::OK, "login of {username} failed");
        let body: Value = r.json().await.expect("token json");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.token("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user with `role` through the API (as admin) and signs them in.
    pub async fn user(&self, username: &str, role: &str) -> TestUser {
        let admin = self.admin_token().await;
        let r = self
            .req(Method::POST, "/api/v1/users/", Some(&admin))
            .json(&json!({"username": username, "password": USER_PASSWORD, "role": role, "full_name": format!("{username} full")}))
            .send()
            .await
            .expect("create user");
        assert_eq!(r.status(), StatusCode::CREATED, "creating {username}");
        let body: Value = r.json().await.expect("user json");
        let token = self.token(username, USER_PASSWORD).await;
        TestUser {
            id: body["id"].as_i64().expect("id"),
            username: username.into(),
            password: USER_PASSWORD.into(),
            token,
        }
    }

    /// Creates a user with `role` and the address `<name>@school.example` (as admin) and signs
    /// them in; returns (id, token).
    pub async fn person(&self, name: &str, role: &str) -> (i64, String) {
        let admin = self.admin_token().await;
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/users/",
                Some(&admin),
                Some(
                    json!({"username": name, "password": USER_PASSWORD, "role": role,
                    "email": format!("{name}@school.example")}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        (
            body["id"].as_i64().expect("id"),
            self.token(name, USER_PASSWORD).await,
        )
    }

    /// Waits (up to 10 s) until the job queue holds nothing queued or running, for checks of
    /// what background jobs write (the staff's notifications of a new ticket, exports).
    pub async fn jobs_settled(&self) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while self
            .count("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")
            .await
            > 0
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the job queue did not settle"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs a query against the app's database and returns the first column of each row as
    /// JSON, for checking what was really stored.
    pub async fn sql(&self, sql: &str) -> Vec<Value> {
        let db = self.service.database().reader();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                sql.to_string(),
            ))
            .await
            .expect("query");
        rows.iter()
            .map(|row| {
                row.try_get_by_index::<i64>(0)
                    .map(Value::from)
                    .or_else(|_| row.try_get_by_index::<i32>(0).map(Value::from))
                    .or_else(|_| row.try_get_by_index::<i16>(0).map(Value::from))
                    .or_else(|_| {
                        row.try_get_by_index::<bool>(0)
                            .map(|b| Value::from(i64::from(b)))
                    })
                    .or_else(|_| row.try_get_by_index::<String>(0).map(Value::from))
                    .or_else(|_| {
                        row.try_get_by_index::<Option<String>>(0)
                            .map(|o| o.map_or(Value::Null, Value::from))
                    })
                    .unwrap_or(Value::Null)
            })
            .collect()
    }

    /// Executes a statement behind the service's back (to plant legacy data, say).
    pub async fn exec(&self, sql: &str) {
        self.service
            .database()
            .writer()
            .execute_unprepared(sql)
            .await
            .expect("statement");
    }

    /// Waits (up to ten seconds: readiness is checked at most once a second) until `/ready`
    /// answers `want`, and returns its body.
    pub async fn until_ready_is(&self, want: StatusCode) -> Value {
        until_ready_is(&self.base, want).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        self.sql(sql)
            .await
            .first()
            .and_then(Value::as_i64)
            .expect("a count")
    }
}

/// Waits (up to ten seconds: readiness is checked at most once a second) until `/ready` of
/// the server at `base` answers `want`, and returns its body.
pub async fn until_ready_is(base: &str, want: StatusCode) -> Value {
    for _ in 0..100 {
        let r = reqwest::get(format!("{base}/ready")).await.expect("/ready");
        if r.status() == want {
            return status_json(r).await.1;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("/ready never answered {want}");
}

/// Whether tests run against PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("FIXDESK_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"))
}

/// A database of its own on the test PostgreSQL server, for an app whose settings still name the
/// default SQLite file of `dir`.
async fn postgres_database_for(settings: &Settings, dir: &std::path::Path) -> Option<String> {
    if settings.database_url != dir.join("fixdesk.db").display().to_string() {
        return None;
    }
    postgres_database_in(dir).await
}

/// The database URL a server keeping its files in `dir` uses: a database of its own on the
/// test PostgreSQL server when there is one, otherwise the SQLite file `dir/fixdesk.db`.
pub async fn database_url_for(dir: &std::path::Path) -> String {
    match postgres_database_in(dir).await {
        Some(url) => url,
        None => dir.join("fixdesk.db").display().to_string(),
    }
}

/// A database named after `dir` on the test PostgreSQL server (created if missing).
async fn postgres_database_in(dir: &std::path::Path) -> Option<String> {
    let server = std::env::var("FIXDESK_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))?;
    let name: String = dir
        .file_name()?
        .to_string_lossy()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let name = format!("fixdesk_{name}");
    let admin = sea_orm::Database::connect(server.clone())
        .await
        .expect("the test PostgreSQL server");
    let exists = admin
        .query_one_raw(Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .expect("pg_database")
        .is_some();
    if !exists {
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
    }
    let _ = admin.close().await;
    let (base, _) = server.rsplit_once('/')?;
    Some(format!("{base}/{name}"))
}

/// A response header's value, or "" when it is absent.
pub fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().expect("an ASCII header").to_string())
        .unwrap_or_default()
}

/// Where a redirect points.
pub fn location(r: &reqwest::Response) -> String {
    header(r, "location")
}

/// The `name=value` part of the cookie a response sets under `name`, if it sets one.
pub fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// Whether the server ends a streamed response (SSE) within `wait`; what it sends before the
/// end is skipped.
pub async fn ends_within(r: &mut reqwest::Response, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, r.chunk()).await {
            Ok(Ok(Some(_))) => continue,
            Ok(Ok(None) | Err(_)) => return true,
            Err(_) => return false,
        }
    }
}

/// Reads a response's status and JSON body (Null when the body is empty or not JSON).
pub async fn status_json(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

impl TestApp {
    /// Sends `body` as JSON with `method` to `path` and returns status and JSON answer.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self.req(method, path, token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        status_json(r.send().await.expect("request")).await
    }

    /// Like [`TestApp::call`] when only the status matters.
    pub async fn status(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> StatusCode {
        self.call(method, path, token, body).await.0
    }

    /// A browser's request to the interface with the session cookie it would have set.
    pub fn page(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .header(reqwest::header::COOKIE, format!("fixdesk_session={token}"))
            .header(reqwest::header::ACCEPT_LANGUAGE, "en")
    }

    /// Creates a category as admin and returns its id.
    pub async fn category(&self, name: &str) -> i64 {
        let admin = self.admin_token().await;
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/categories/",
                Some(&admin),
                Some(json!({"name": name, "description": format!("{name} things")})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().expect("category id")
    }

    /// Creates an item of equipment of type `kind` as admin and returns its id.
    pub async fn equipment(&self, name: &str, kind: &str) -> i64 {
        let admin = self.admin_token().await;
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/equipment/",
                Some(&admin),
                Some(json!({"name": name, "category": kind, "location": "Каб. 12"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().expect("equipment id")
    }

    /// Ends every session of `user` the way an admin would: deactivating the account and
    /// activating it again.
    pub async fn end_sessions_of(&self, user: i64) {
        let admin = self.admin_token().await;
        for active in [false, true] {
            let (status, body) = self
                .call(
                    Method::PUT,
                    &format!("/api/v1/users/{user}"),
                    Some(&admin),
                    Some(json!({ "is_active": active })),
                )
                .await;
            assert!(status.is_success(), "{body}");
        }
    }

    /// Sets up a calendar open round the clock (so due times do not depend on when a test
    /// runs) and a default service-level policy on it with `terms` (its targets, escalation);
    /// returns the policy.
    pub async fn round_the_clock_policy(&self, terms: Value) -> Value {
        let admin = self.admin_token().await;
        let (status, calendar) = self
            .call(
                Method::POST,
                "/api/v1/sla/calendars/",
                Some(&admin),
                Some(json!({
                    "name": "Always",
                    "time_zone": "UTC",
                    "working_hours": vec!["00:00-24:00"; 7],
                })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{calendar}");
        let mut body = json!({"name": "Standard", "calendar_id": calendar["id"]});
        if let (Some(b), Some(t)) = (body.as_object_mut(), terms.as_object()) {
            b.extend(t.clone());
        }
        let (status, policy) = self
            .call(
                Method::POST,
                "/api/v1/sla/policies/",
                Some(&admin),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{policy}");
        policy
    }

    /// Runs a service-level sweep through the job queue and waits for it.
    pub async fn sla_sweep(&self) {
        let admin = self.admin_token().await;
        self.jobs_settled().await;
        let (status, body) = self
            .call(Method::POST, "/api/v1/sla/check", Some(&admin), None)
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        self.jobs_settled().await;
    }

    /// Files a ticket as the holder of `token` and returns it.
    pub async fn ticket(&self, token: &str, title: &str) -> Value {
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/tickets/",
                Some(token),
                Some(json!({"title": title, "description": "Не включается", "room_number": "101"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Requests an export of the tickets `filters` select; the queued job.
    pub async fn export(&self, token: &str, filters: Value) -> Value {
        let (status, job) = self
            .call(
                Method::POST,
                "/api/v1/exports/tickets",
                Some(token),
                Some(filters),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{job}");
        job
    }
}
