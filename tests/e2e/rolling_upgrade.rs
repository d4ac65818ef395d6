//! A rolling upgrade: an instance of version N keeps serving while an instance of N+1 starts
//! and applies the newest migration to the database they share. Version N is played by an
//! instance started with `migrate_on_start = false` on a schema one migration behind, doing
//! only what version N could (filing tickets, writing to them, reading lists); the newest
//! migration is expand-only, which is what lets the old code run beside it (README, "Rolling
//! upgrades").

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use fixdesk_migration::{Migrator, MigratorTrait};
use fixdesk_tests::{ADMIN_PASSWORD, database_url_for};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server_process::ServerProcess;

#[tokio::test]
async fn the_old_version_keeps_serving_while_the_new_one_migrates() {
    let root = tempfile::tempdir().unwrap();
    let url = database_url_for(root.path()).await;
    let db = fixdesk_service::connect_database(&url, &Default::default())
        .await
        .unwrap();
    Migrator::up(db.writer(), None).await.unwrap();
    Migrator::down(db.writer(), Some(1)).await.unwrap();
    let behind = Migrator::get_pending_migrations(db.writer()).await.unwrap();
    assert_eq!(behind.len(), 1);

    let (old_dir, new_dir) = (root.path().join("old"), root.path().join("new"));
    std::fs::create_dir_all(&old_dir).unwrap();
    std::fs::create_dir_all(&new_dir).unwrap();
    // Files on the local disk: version N has no other store.
    let old = ServerProcess::start_with(
        &old_dir,
        &url,
        &[
            ("FIXDESK_MIGRATE_ON_START", "false"),
            ("FIXDESK_FILE_STORAGE", "local"),
        ],
    )
    .await;
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/api/v1/auth/token", old.base))
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    let token = r.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();

    // Version N under steady use...
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let worker = {
        let (http, base, token, outcomes) = (
            http.clone(),
            old.base.clone(),
            token.clone(),
            outcomes.clone(),
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !*stop.borrow() {
                n += 1;
                let r = http
                    .post(format!("{base}/api/v1/tickets/"))
                    .bearer_auth(&token)
                    .json(&json!({"title": format!("Во время обновления {n}"), "description": "Не включается", "room_number": "101"}))
                    .send()
                    .await
                    .unwrap();
                let created = r.status();
                let id = r.json::<Value>().await.unwrap()["id"].as_i64();
                let mut statuses = vec![created];
                if let Some(id) = id {
                    let m = http
                        .post(format!("{base}/api/v1/tickets/{id}/messages"))
                        .bearer_auth(&token)
                        .json(&json!({"message": "Принято"}))
                        .send()
                        .await
                        .unwrap();
                    statuses.push(m.status());
                }
                let list = http
                    .get(format!("{base}/api/v1/tickets/?limit=5"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                statuses.push(list.status());
                outcomes.lock().unwrap().push(statuses);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;

    // ...while version N+1 starts beside it and migrates.
    let new = ServerProcess::start(&new_dir, &url).await;
    fixdesk_tests::until_ready_is(&new.base, StatusCode::OK).await;
    assert!(
        Migrator::get_pending_migrations(db.writer())
            .await
            .unwrap()
            .is_empty()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_tx.send(true).unwrap();
    worker.await.unwrap();

    let outcomes = outcomes.lock().unwrap().clone();
    assert!(outcomes.len() > 10, "{} rounds", outcomes.len());
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|s| s != &&vec![StatusCode::CREATED, StatusCode::CREATED, StatusCode::OK])
        .collect();
    assert!(failed.is_empty(), "the old version failed: {failed:?}");
    old.stop().await;
    new.stop().await;
}
