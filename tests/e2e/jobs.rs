//! The durable job queue, through ticket exports: the export has the list's rows, a job whose
//! worker died is taken again and completes once, a job is never run twice at once, and one
//! that keeps failing ends dead until an operator retries it; finished jobs are removed after
//! the kept days, exports with their files.

use std::time::Duration;

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Polls the export until it is done (or fails the test after ten seconds).
async fn finished(app: &TestApp, token: &str, id: i64) -> Value {
    for _ in 0..100 {
        let (status, job) = app
            .call(
                Method::GET,
                &format!("/api/v1/exports/{id}"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{job}");
        if job["state"] == "done" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("export {id} did not finish");
}

async fn csv_ids(app: &TestApp, token: &str, id: i64) -> Vec<i64> {
    let r = app
        .req(
            Method::GET,
            &format!("/api/v1/exports/{id}/download"),
            Some(token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(
        r.headers()["x-content-type-options"],
        "nosniff",
        "a download is never sniffed"
    );
    let text = r.text().await.unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,title,status,priority")
    );
    lines
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect()
}

async fn list_ids(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    let (_, list) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{query}"),
            Some(token),
            None,
        )
        .await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn an_export_has_exactly_the_rows_of_the_list_its_requester_sees() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let a = app.user("user_a", "user").await;
    let b = app.user("user_b", "user").await;
    for (who, n) in [(&a, 7), (&b, 5)] {
        for i in 0..n {
            let body = json!({"title": format!("Заявка, \"с кавычками\" {i}"), "description": "d", "room_number": "1", "priority": if i % 2 == 0 { "high" } else { "low" }});
            app.call(
                Method::POST,
                "/api/v1/tickets/",
                Some(&who.token),
                Some(body),
            )
            .await;
        }
    }
    let job = app
        .export(&admin, json!({"priority": "high", "sort": "id"}))
        .await;
    assert_eq!(job["state"], "queued");
    let id = job["id"].as_i64().unwrap();
    let done = finished(&app, &admin, id).await;
    assert_eq!(
        (done["progress"].clone(), done["row_count"].clone()),
        (json!(100), json!(7))
    );
    assert_eq!(
        csv_ids(&app, &admin, id).await,
        list_ids(&app, &admin, "?priority=high&sort=id").await
    );

    let mine = app.export(&a.token, json!({})).await;
    let mine_id = mine["id"].as_i64().unwrap();
    finished(&app, &a.token, mine_id).await;
    let exported = csv_ids(&app, &a.token, mine_id).await;
    assert_eq!(
        exported,
        list_ids(&app, &a.token, "").await,
        "newest first, only their own"
    );
    assert_eq!(exported.len(), 7);
    assert_eq!(
        app.status(
            Method::GET,
            &format!("/api/v1/exports/{mine_id}"),
            Some(&b.token),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.req(
            Method::GET,
            &format!("/api/v1/exports/{mine_id}/download"),
            Some(&b.token)
        )
        .send()
        .await
        .unwrap()
        .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.status(
            Method::GET,
            &format!("/api/v1/exports/{mine_id}"),
            Some(&admin),
            None
        )
        .await,
        StatusCode::OK,
        "admins see every export"
    );
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/exports/tickets",
            Some(&a.token),
            Some(json!({"status": "bogus"}))
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Not downloadable until done.
    app.exec(&format!(
        "UPDATE jobs SET state = 'queued', run_after = '2999-01-01 00:00:00' WHERE id = {mine_id}"
    ))
    .await;
    assert_eq!(
        app.req(
            Method::GET,
            &format!("/api/v1/exports/{mine_id}/download"),
            Some(&a.token)
        )
        .send()
        .await
        .unwrap()
        .status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn a_job_whose_worker_died_is_taken_again_and_completes_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    for i in 0..3 {
        app.ticket(&u.token, &format!("t{i}")).await;
    }
    let job = app.export(&admin, json!({})).await;
    let id = job["id"].as_i64().unwrap();
    finished(&app, &admin, id).await;
    // A worker that claimed it and died: its lease has run out, half the work is done.
    app.exec(&format!("UPDATE jobs SET state = 'running', locked_by = 'crashed', locked_until = '2000-01-01 00:00:00', result = NULL, progress = 40 WHERE id = {id}")).await;
    let done = finished(&app, &admin, id).await;
    assert_eq!(done["row_count"], 3);
    assert_eq!(
        app.count(&format!("SELECT attempts FROM jobs WHERE id = {id}"))
            .await,
        2
    );
    assert_eq!(
        app.sql(&format!("SELECT locked_by FROM jobs WHERE id = {id}"))
            .await,
        vec![Value::Null]
    );
    assert_eq!(csv_ids(&app, &admin, id).await.len(), 3);
    // A job whose lease is live belongs to its worker: nobody else takes it.
    app.exec(&format!("UPDATE jobs SET state = 'running', locked_by = 'busy', locked_until = '2999-01-01 00:00:00' WHERE id = {id}")).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        app.count(&format!("SELECT attempts FROM jobs WHERE id = {id}"))
            .await,
        2
    );
    assert_eq!(
        app.sql(&format!("SELECT locked_by FROM jobs WHERE id = {id}"))
            .await,
        vec![json!("busy")]
    );
}

#[tokio::test]
async fn a_failing_job_backs_off_then_dies_and_an_operator_can_retry_it() {
    let app = TestApp::spawn().await;
    app.exec("INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, progress, created_at, updated_at) VALUES ('export_tickets', '{broken', 'queued', 0, 2, '2000-01-01 00:00:00', 0, '2000-01-01 00:00:00', '2000-01-01 00:00:00')").await;
    let id = app.count("SELECT MAX(id) FROM jobs").await;
    let dies = || async {
        for _ in 0..60 {
            let state = app
                .sql(&format!("SELECT state FROM jobs WHERE id = {id}"))
                .await[0]
                .as_str()
                .unwrap()
                .to_string();
            if state == "dead" {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    };
    assert!(dies().await, "two attempts, two seconds apart, then dead");
    assert_eq!(
        app.count(&format!("SELECT attempts FROM jobs WHERE id = {id}"))
            .await,
        2
    );
    assert!(
        app.sql(&format!("SELECT last_error FROM jobs WHERE id = {id}"))
            .await[0]
            .as_str()
            .unwrap()
            .contains("internal")
    );
    let dead = app
        .service
        .operator()
        .jobs(Some(fixdesk_service::domain::JobState::Dead), 10)
        .await
        .unwrap();
    assert_eq!(dead.iter().map(|j| j.id).collect::<Vec<_>>(), vec![id]);
    assert!(app.service.operator().retry_job(id).await.unwrap());
    assert!(
        !app.service.operator().retry_job(id).await.unwrap(),
        "only dead jobs are retried"
    );
    // A worker may take it again at once; either way it gets its attempts anew.
    assert!(dies().await, "retried, it runs its two attempts again");
    assert_eq!(
        app.count(&format!("SELECT attempts FROM jobs WHERE id = {id}"))
            .await,
        2
    );
}

#[tokio::test]
async fn operator_tools_open_the_service_without_running_queued_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = fixdesk_tests::settings_for(dir.path());
    settings.job_workers = 0;
    let app = TestApp::spawn_with(settings, dir).await;
    let admin = app.admin_token().await;
    let job = app.export(&admin, json!({})).await;
    let id = job["id"].as_i64().unwrap();
    let state = format!("SELECT state FROM jobs WHERE id = {id}");

    // What `fixdesk-migrate stats verify` and every other operator command open.
    let operator = fixdesk_service::Fixdesk::open(app.settings.service())
        .await
        .unwrap();
    operator.operator().verify_statistics().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        app.sql(&state).await,
        vec![json!("queued")],
        "nothing ran it"
    );

    // A server's service does run it: the check above could have failed.
    let mut with_workers = app.settings.service();
    with_workers.job_workers = 1;
    let _server = fixdesk_service::Fixdesk::start(with_workers).await.unwrap();
    finished(&app, &admin, id).await;
}

#[tokio::test]
async fn an_export_never_hands_a_spreadsheet_a_formula() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let u = app.user("teacher", "user").await;
    app.ticket(&u.token, "=HYPERLINK(\"http://evil.example\",\"click\")")
        .await;
    let job = app.export(&admin, json!({})).await;
    let id = job["id"].as_i64().unwrap();
    finished(&app, &admin, id).await;
    let csv = app
        .req(
            Method::GET,
            &format!("/api/v1/exports/{id}/download"),
            Some(&admin),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",\"=HYPERLINK(") && !csv.contains(",=HYPERLINK("),
        "{csv}"
    );
}

/// Whether an export's CSV is kept anywhere: in the data directory or in the database.
async fn export_file_kept(app: &TestApp, id: i64) -> bool {
    let on_disk = app
        .data_dir()
        .join(format!("exports/tickets/{id}.csv"))
        .exists();
    let in_database = app
        .count(&format!(
            "SELECT COUNT(*) FROM stored_files WHERE file_key = 'exports/tickets/{id}.csv'"
        ))
        .await;
    on_disk || in_database > 0
}

#[tokio::test]
async fn finished_jobs_are_removed_after_the_kept_days_exports_with_their_files() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut exports = Vec::new();
    for _ in 0..2 {
        let job = app.export(&admin, json!({})).await;
        let id = job["id"].as_i64().unwrap();
        finished(&app, &admin, id).await;
        assert!(export_file_kept(&app, id).await);
        exports.push(id);
    }
    let (old, fresh) = (exports[0], exports[1]);
    let long_ago = "'2000-01-01 00:00:00'";
    app.exec(&format!(
        "UPDATE jobs SET run_after = {long_ago}, updated_at = {long_ago} WHERE id = {old}"
    ))
    .await;
    let insert = |kind: &str, state: &str| {
        format!(
            "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, progress, created_at, updated_at) VALUES ('{kind}', '{{}}', '{state}', 0, 5, {long_ago}, 0, {long_ago}, {long_ago})"
        )
    };
    for state in ["done", "dead"] {
        app.exec(&insert("stats_rebuild", state)).await;
    }
    let jobs_before = app.count("SELECT COUNT(*) FROM jobs").await;

    let week = Duration::from_secs(7 * 24 * 60 * 60);
    let done = app.service.operator().prune_jobs(week).await.unwrap();
    assert_eq!(
        (done.jobs, done.exports),
        (2, 1),
        "the old export and the old done job; the dead one stays for the operator"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs").await,
        jobs_before - 2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE state = 'dead'")
            .await,
        1
    );
    assert!(!export_file_kept(&app, old).await, "its file went with it");
    for path in [
        format!("/api/v1/exports/{old}"),
        format!("/api/v1/exports/{old}/download"),
    ] {
        let (status, body) = app.call(Method::GET, &path, Some(&admin), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    assert!(export_file_kept(&app, fresh).await);
    // The fresh one still downloads (`csv_ids` checks the answer).
    csv_ids(&app, &admin, fresh).await;
    let again = app.service.operator().prune_jobs(week).await.unwrap();
    assert_eq!(
        (again.jobs, again.exports),
        (0, 0),
        "nothing more is that old"
    );

    // The queued housekeeping job (hourly) does the same with the desk's seven days.
    app.exec(&insert("stats_rebuild", "done")).await;
    app.exec(&insert("housekeeping", "queued")).await;
    let id = app.count("SELECT MAX(id) FROM jobs").await;
    for _ in 0..100 {
        if app
            .sql(&format!("SELECT state FROM jobs WHERE id = {id}"))
            .await
            == vec![json!("done")]
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.sql(&format!("SELECT result FROM jobs WHERE id = {id}"))
            .await,
        vec![json!(r#"{"jobs":1,"exports":0}"#)]
    );
}
