//! Users, categories, sessions and failed sign-ins.

use fixdesk_domain::{Role, SessionId};
use fixdesk_repository::{RepoError, categories, login_failures, sessions, users};

use crate::{at, db, person};

#[tokio::test]
async fn a_username_is_taken_once_and_the_same_name_may_change_its_own_row() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    assert!(users::username_taken(&db, "anna", None).await.unwrap());
    assert!(
        !users::username_taken(&db, "anna", Some(anna))
            .await
            .unwrap()
    );
    assert!(!users::username_taken(&db, "boris", None).await.unwrap());
    let twice = users::insert(
        &db,
        users::NewUserRow {
            username: "anna".into(),
            email: None,
            hashed_password: "h".into(),
            full_name: None,
            role: Role::User,
            is_active: true,
        },
        at("2026-12-01 10:00:00"),
    )
    .await;
    assert!(
        matches!(twice, Err(RepoError::Conflict { .. })),
        "{twice:?}"
    );
}

#[tokio::test]
async fn an_email_is_found_in_any_case_and_a_deleted_account_frees_its_name() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let found = users::find_by_email(&db, "anna@school.example")
        .await
        .unwrap();
    assert_eq!(found.map(|u| u.id), Some(anna));
    assert!(
        users::email_taken(&db, "anna@school.example", None)
            .await
            .unwrap()
    );
    users::tombstone(&db, anna, at("2026-12-02 09:00:00"))
        .await
        .unwrap();
    assert!(!users::username_taken(&db, "anna", None).await.unwrap());
    assert!(users::find(&db, anna).await.unwrap().is_none());
}

#[tokio::test]
async fn the_last_active_admin_is_counted_apart_from_the_one_asked_about() {
    let db = db().await;
    let first = person(&db, "root1", Role::Admin).await;
    assert!(users::any_admin(&db).await.unwrap());
    assert_eq!(
        users::count_active_admins_except(&db, first).await.unwrap(),
        0
    );
    let second = person(&db, "root2", Role::Admin).await;
    assert_eq!(
        users::count_active_admins_except(&db, first).await.unwrap(),
        1
    );
    let off = users::UserUpdate {
        is_active: Some(false),
        ..Default::default()
    };
    users::update(&db, second, off, at("2026-12-02 09:00:00"))
        .await
        .unwrap();
    assert_eq!(
        users::count_active_admins_except(&db, first).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn display_names_and_several_users_are_read_in_one_query_each() {
    let db = db().await;
    let a = person(&db, "anna", Role::Agent).await;
    let b = person(&db, "boris", Role::Agent).await;
    let names = users::display_names(&db, vec![a, b]).await.unwrap();
    assert_eq!(names.get(&a).map(String::as_str), Some("anna full"));
    let both = users::with_ids(&db, [b, a]).await.unwrap();
    assert_eq!(both.len(), 2);
    assert!(users::with_ids(&db, []).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_session_is_live_until_it_expires_or_is_revoked() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let (s1, s2) = (SessionId("s1".into()), SessionId("s2".into()));
    for s in [&s1, &s2] {
        sessions::insert(
            &db,
            s,
            anna,
            at("2026-12-01 09:00:00"),
            at("2026-12-02 09:00:00"),
        )
        .await
        .unwrap();
    }
    let live = sessions::find_live(&db, &s1, at("2026-12-01 12:00:00"))
        .await
        .unwrap();
    assert_eq!(live.map(|l| l.actor.id), Some(anna));
    assert!(
        sessions::find_live(&db, &s1, at("2026-12-02 09:00:00"))
            .await
            .unwrap()
            .is_none(),
        "expired at its second"
    );
    sessions::revoke(&db, anna, &s1, at("2026-12-01 13:00:00"))
        .await
        .unwrap();
    assert!(
        sessions::find_live(&db, &s1, at("2026-12-01 13:00:01"))
            .await
            .unwrap()
            .is_none()
    );
    // All but the current one.
    sessions::insert(
        &db,
        &SessionId("s3".into()),
        anna,
        at("2026-12-01 09:00:00"),
        at("2026-12-09 09:00:00"),
    )
    .await
    .unwrap();
    let ended = sessions::revoke_all(&db, anna, Some(&s2), at("2026-12-01 14:00:00"))
        .await
        .unwrap();
    assert_eq!(ended, 1, "s3 only: s1 was revoked, s2 is kept");
    assert!(
        sessions::find_live(&db, &s2, at("2026-12-01 14:00:01"))
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn revocations_are_announced_in_order_for_other_instances() {
    let db = db().await;
    let anna = person(&db, "anna", Role::User).await;
    let before = sessions::last_revocation(&db).await.unwrap();
    sessions::insert(
        &db,
        &SessionId("s1".into()),
        anna,
        at("2026-12-01 09:00:00"),
        at("2026-12-02 09:00:00"),
    )
    .await
    .unwrap();
    sessions::revoke(
        &db,
        anna,
        &SessionId("s1".into()),
        at("2026-12-01 10:00:00"),
    )
    .await
    .unwrap();
    let heard = sessions::revocations_after(&db, before).await.unwrap();
    assert_eq!(heard.len(), 1);
    assert_eq!(heard[0].user, anna);
    assert!(
        sessions::revocations_after(&db, heard[0].id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn failed_sign_ins_count_per_address_and_are_forgotten_after_the_window() {
    let db = db().await;
    for (ip, when) in [
        ("10.0.0.1", "2026-12-01 09:00:00"),
        ("10.0.0.1", "2026-12-01 09:10:00"),
        ("10.0.0.2", "2026-12-01 09:11:00"),
    ] {
        login_failures::record(&db, "victim", Some(ip), at(when), at("2026-12-01 08:00:00"))
            .await
            .unwrap();
    }
    let since = at("2026-12-01 09:05:00");
    assert_eq!(
        login_failures::count(&db, "victim", Some("10.0.0.1"), since)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        login_failures::count(&db, "victim", None, since)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        login_failures::count(&db, "other", None, since)
            .await
            .unwrap(),
        0
    );
    // Recording a later one forgets those before its window.
    login_failures::record(
        &db,
        "victim",
        None,
        at("2026-12-01 12:00:00"),
        at("2026-12-01 09:10:30"),
    )
    .await
    .unwrap();
    assert_eq!(
        login_failures::count(&db, "victim", None, at("2026-12-01 00:00:00"))
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn a_category_name_is_taken_once() {
    let db = db().await;
    let c = categories::insert(
        &db,
        "Принтеры".into(),
        None,
        true,
        at("2026-12-01 09:00:00"),
    )
    .await
    .unwrap();
    assert!(categories::name_taken(&db, "Принтеры", None).await.unwrap());
    assert!(
        !categories::name_taken(&db, "Принтеры", Some(c.id))
            .await
            .unwrap()
    );
    assert!(
        !categories::name_taken(&db, "Проекторы", None)
            .await
            .unwrap()
    );
}
