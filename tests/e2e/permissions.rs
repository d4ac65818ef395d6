//! The permission matrix: every users/auth endpoint × every role (and no token), own and
//! foreign objects, with the status each must get.

use fixdesk_tests::{TestApp, USER_PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    User,
    Agent,
    Admin,
}

#[tokio::test]
async fn every_endpoint_for_every_role() {
    use StatusCode as S;
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let agent = app.user("m_agent", "agent").await;
    let user = app.user("m_user", "user").await;
    let other = app.user("m_other", "user").await;
    let token = |w: Who| match w {
        Who::Anonymous => None,
        Who::User => Some(user.token.clone()),
        Who::Agent => Some(agent.token.clone()),
        Who::Admin => Some(admin.clone()),
    };
    let own = |w: Who| match w {
        Who::User => user.id,
        Who::Agent => agent.id,
        _ => 1,
    };
    // (method, path, body, expected for [anonymous, user, agent, admin])
    type Case = (Method, String, Option<serde_json::Value>, [S; 4]);
    let cases = |w: Who| -> Vec<Case> {
        vec![
            (
                Method::GET,
                "/api/v1/users/".into(),
                None,
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                Method::GET,
                "/api/v1/users/basic".into(),
                None,
                [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
            ),
            (
                Method::GET,
                "/api/v1/users/me/".into(),
                None,
                [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
            ),
            (
                Method::GET,
                format!("/api/v1/users/{}", own(w)),
                None,
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                Method::GET,
                format!("/api/v1/users/{}", other.id),
                None,
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                Method::PUT,
                format!("/api/v1/users/{}", own(w)),
                Some(json!({"full_name": "x"})),
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                Method::PUT,
                format!("/api/v1/users/{}", other.id),
                Some(json!({"role": "admin"})),
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
            ),
            (
                Method::POST,
                "/api/v1/users/".into(),
                Some(json!({"username": format!("new_{w:?}"), "password": "new-password"})),
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::CREATED],
            ),
            (
                Method::DELETE,
                "/api/v1/users/99999".into(),
                None,
                [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::NOT_FOUND],
            ),
            (
                Method::POST,
                "/api/v1/users/me/change-password".into(),
                Some(json!({"current_password": "nope-nope", "new_password": "whatever1"})),
                [
                    S::UNAUTHORIZED,
                    S::BAD_REQUEST,
                    S::BAD_REQUEST,
                    S::BAD_REQUEST,
                ],
            ),
        ]
    };
    for (i, who) in [Who::Anonymous, Who::User, Who::Agent, Who::Admin]
        .into_iter()
        .enumerate()
    {
        for (method, path, body, expected) in cases(who) {
            let mut r = app.req(method.clone(), &path, token(who).as_deref());
            if let Some(b) = body {
                r = r.json(&b);
            }
            let status = r.send().await.unwrap().status();
            assert_eq!(status, expected[i], "{who:?} {method} {path}");
        }
    }
    // Forbidden writes changed nothing: the other user is still a plain user.
    let (_, other_now) = fixdesk_tests::status_json(
        app.req(
            Method::GET,
            &format!("/api/v1/users/{}", other.id),
            Some(&admin),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(
        other_now["role"], "admin",
        "only the admin's change applied"
    );
    let (_, me) = fixdesk_tests::status_json(
        app.req(Method::GET, "/api/v1/users/me/", Some(&user.token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["full_name"], "m_user full");
    // Delete: own account (admin) is refused; a foreign one works; non-admins are refused.
    assert_eq!(
        app.req(Method::DELETE, "/api/v1/users/1", Some(&admin))
            .send()
            .await
            .unwrap()
            .status(),
        S::BAD_REQUEST
    );
    assert_eq!(
        app.req(
            Method::DELETE,
            &format!("/api/v1/users/{}", user.id),
            Some(&agent.token)
        )
        .send()
        .await
        .unwrap()
        .status(),
        S::FORBIDDEN
    );
    assert_eq!(
        app.req(
            Method::DELETE,
            &format!("/api/v1/users/{}", user.id),
            Some(&admin)
        )
        .send()
        .await
        .unwrap()
        .status(),
        S::NO_CONTENT
    );
    assert_eq!(
        app.login("m_user", USER_PASSWORD).await.status(),
        S::UNAUTHORIZED
    );
    // Logout for every signed-in role.
    for t in [&agent.token, &admin] {
        assert_eq!(
            app.req(Method::POST, "/api/v1/auth/logout", Some(t))
                .send()
                .await
                .unwrap()
                .status(),
            S::OK
        );
    }
    assert_eq!(
        app.req(Method::POST, "/api/v1/auth/logout", None)
            .send()
            .await
            .unwrap()
            .status(),
        S::UNAUTHORIZED
    );
}
