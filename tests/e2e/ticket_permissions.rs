//! The permission matrix for tickets, categories and equipment: every endpoint × every role
//! (and no token) × own and foreign objects.

use fixdesk_tests::TestApp;
use reqwest::{Method, StatusCode as S};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    User,
    Agent,
    Admin,
}

const WHO: [Who; 4] = [Who::Anonymous, Who::User, Who::Agent, Who::Admin];

/// Method, path template, body, whether the ticket is the user's own, and the expected status
/// for anonymous, user, agent and admin.
type TicketCase = (Method, &'static str, Option<Value>, bool, [S; 4]);

struct World {
    app: TestApp,
    tokens: [Option<String>; 4],
    user_id: i64,
    agent_id: i64,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::spawn().await;
        let admin = app.admin_token().await;
        let user = app.user("m_user", "user").await;
        let agent = app.user("m_agent", "agent").await;
        Self {
            tokens: [None, Some(user.token), Some(agent.token), Some(admin)],
            user_id: user.id,
            agent_id: agent.id,
            app,
        }
    }

    fn token(&self, w: Who) -> Option<&str> {
        self.tokens[WHO.iter().position(|x| *x == w).unwrap()].as_deref()
    }

    /// A fresh ticket filed by the matrix user (so every case starts from the same state).
    async fn users_ticket(&self) -> i64 {
        self.app.ticket(self.token(Who::User).unwrap(), "own").await["id"]
            .as_i64()
            .unwrap()
    }

    /// A fresh ticket filed by someone else (the admin).
    async fn foreign_ticket(&self) -> i64 {
        self.app
            .ticket(self.token(Who::Admin).unwrap(), "foreign")
            .await["id"]
            .as_i64()
            .unwrap()
    }

    async fn check(&self, who: Who, method: Method, path: &str, body: Option<Value>, expected: S) {
        let (status, answer) = self
            .app
            .call(method.clone(), path, self.token(who), body)
            .await;
        assert_eq!(status, expected, "{who:?} {method} {path}: {answer}");
    }
}

#[tokio::test]
async fn ticket_endpoints_for_every_role_on_own_and_foreign_tickets() {
    let w = World::new().await;
    let cases: Vec<TicketCase> = vec![
        (
            Method::GET,
            "/api/v1/tickets/",
            None,
            true,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/tickets/{id}",
            None,
            true,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/tickets/{id}",
            None,
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::PUT,
            "/api/v1/tickets/{id}",
            Some(json!({"title": "edited"})),
            true,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::PUT,
            "/api/v1/tickets/{id}",
            Some(json!({"title": "edited"})),
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::PUT,
            "/api/v1/tickets/{id}",
            Some(json!({"status": "in_progress"})),
            true,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::DELETE,
            "/api/v1/tickets/{id}",
            None,
            true,
            [S::UNAUTHORIZED, S::NO_CONTENT, S::FORBIDDEN, S::NO_CONTENT],
        ),
        (
            Method::DELETE,
            "/api/v1/tickets/{id}",
            None,
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::NO_CONTENT],
        ),
        (
            Method::PUT,
            "/api/v1/tickets/{id}/assign/{agent}",
            None,
            true,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::PUT,
            "/api/v1/tickets/{id}/status/in_progress",
            None,
            true,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/tickets/{id}/assign",
            Some(json!({})),
            true,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/tickets/{id}/close",
            Some(json!({})),
            true,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/tickets/{id}/close",
            Some(json!({})),
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/tickets/{id}/close-with-message",
            Some(json!({"message": "done"})),
            true,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/tickets/{id}/messages",
            None,
            true,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/tickets/{id}/messages",
            None,
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/tickets/{id}/messages",
            Some(json!({"message": "hi"})),
            true,
            [S::UNAUTHORIZED, S::CREATED, S::CREATED, S::CREATED],
        ),
        (
            Method::POST,
            "/api/v1/tickets/{id}/messages",
            Some(json!({"message": "hi"})),
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::CREATED, S::CREATED],
        ),
        (
            Method::GET,
            "/api/v1/tickets/{id}/messages/count",
            None,
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/async-tickets/async/{id}",
            None,
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::PUT,
            "/api/v1/async-tickets/async/{id}",
            Some(json!({"title": "x"})),
            false,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
    ];
    for (method, template, body, own, expected) in cases {
        for (i, who) in WHO.into_iter().enumerate() {
            let id = if own {
                w.users_ticket().await
            } else {
                w.foreign_ticket().await
            };
            let path = template
                .replace("{id}", &id.to_string())
                .replace("{agent}", &w.agent_id.to_string());
            w.check(who, method.clone(), &path, body.clone(), expected[i])
                .await;
        }
    }
    for (i, who) in WHO.into_iter().enumerate() {
        let expected = [S::UNAUTHORIZED, S::CREATED, S::CREATED, S::CREATED][i];
        w.check(
            who,
            Method::POST,
            "/api/v1/tickets/",
            Some(json!({"title": "t", "description": "d", "room_number": "1"})),
            expected,
        )
        .await;
    }
    // Refused writes left nothing behind: the user's tickets were only touched by allowed calls.
    let foreign_edits = w.app.count(&format!("SELECT COUNT(*) FROM tickets WHERE creator_id <> {} AND title = 'edited' AND id IN (SELECT entity_id FROM audit_logs WHERE user_id = {})", w.user_id, w.user_id)).await;
    assert_eq!(foreign_edits, 0);
}

#[tokio::test]
async fn category_and_equipment_endpoints_for_every_role() {
    let w = World::new().await;
    let cat = w.app.category("Матрица").await;
    let cases: Vec<(Method, String, Option<Value>, [S; 4])> = vec![
        (
            Method::GET,
            "/api/v1/categories/".into(),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            format!("/api/v1/categories/{cat}"),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/categories/".into(),
            Some(json!({"name": "new-{who}"})),
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::CREATED],
        ),
        (
            Method::PUT,
            format!("/api/v1/categories/{cat}"),
            Some(json!({"description": "d"})),
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        (
            Method::DELETE,
            "/api/v1/categories/99999".into(),
            None,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::NOT_FOUND],
        ),
        (
            Method::GET,
            "/api/v1/equipment/".into(),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/equipment/categories".into(),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/equipment/locations".into(),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            format!("/api/v1/equipment/debug/by-category/{cat}"),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/equipment/".into(),
            Some(json!({"name": "n", "type": "t"})),
            [S::UNAUTHORIZED, S::FORBIDDEN, S::CREATED, S::CREATED],
        ),
        (
            Method::PUT,
            "/api/v1/equipment/{eq}".into(),
            Some(json!({"notes": "n"})),
            [S::UNAUTHORIZED, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/equipment/{eq}".into(),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::POST,
            "/api/v1/equipment/{eq}/maintenance".into(),
            Some(json!({"description": "d", "action_type": "repair"})),
            [S::UNAUTHORIZED, S::FORBIDDEN, S::CREATED, S::CREATED],
        ),
        (
            Method::GET,
            "/api/v1/equipment/{eq}/history".into(),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::GET,
            "/api/v1/equipment/{eq}/tickets".into(),
            None,
            [S::UNAUTHORIZED, S::OK, S::OK, S::OK],
        ),
        (
            Method::DELETE,
            "/api/v1/equipment/{eq}".into(),
            None,
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::NO_CONTENT],
        ),
    ];
    for (method, template, body, expected) in cases {
        for (i, who) in WHO.into_iter().enumerate() {
            let eq = w.app.equipment(&format!("eq-{who:?}"), "t").await;
            let path = template.replace("{eq}", &eq.to_string());
            let body = body.clone().map(|b| {
                serde_json::from_str(&b.to_string().replace("{who}", &format!("{who:?}"))).unwrap()
            });
            w.check(who, method.clone(), &path, body, expected[i]).await;
        }
    }
}

#[tokio::test]
async fn a_ticket_its_creator_hid_is_gone_for_them_on_every_route() {
    let app = TestApp::spawn().await;
    let user = app.user("hider", "user").await;
    let admin = app.admin_token().await;
    let id = app.ticket(&user.token, "Hidden soon").await["id"]
        .as_i64()
        .unwrap();
    // A file attached before hiding, to try reaching it afterwards.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"note".to_vec()).file_name("n.txt"),
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
    assert_eq!(r.status(), S::CREATED);
    let attachment = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let hidden = app
        .status(
            Method::DELETE,
            &format!("/api/v1/tickets/{id}"),
            Some(&user.token),
            None,
        )
        .await;
    assert!(hidden.is_success(), "{hidden}");

    let t = |p: &str| {
        p.replace("{id}", &id.to_string())
            .replace("{a}", &attachment.to_string())
    };
    let cases: [(Method, String, Option<Value>); 12] = [
        (Method::GET, t("/api/v1/tickets/{id}"), None),
        (
            Method::PUT,
            t("/api/v1/tickets/{id}"),
            Some(json!({"title": "changed"})),
        ),
        (Method::DELETE, t("/api/v1/tickets/{id}"), None),
        (Method::POST, t("/api/v1/tickets/{id}/close"), None),
        (Method::GET, t("/api/v1/tickets/{id}/messages"), None),
        (
            Method::POST,
            t("/api/v1/tickets/{id}/messages"),
            Some(json!({"message": "hi"})),
        ),
        (Method::GET, t("/api/v1/tickets/{id}/messages/count"), None),
        (Method::GET, t("/api/v1/async-tickets/async/{id}"), None),
        (
            Method::PUT,
            t("/api/v1/async-tickets/async/{id}"),
            Some(json!({"title": "changed"})),
        ),
        (Method::GET, t("/api/v1/attachments/{id}"), None),
        (Method::GET, t("/api/v1/attachments/download/{a}"), None),
        (Method::DELETE, t("/api/v1/attachments/{a}"), None),
    ];
    for (method, path, body) in cases {
        let (status, answer) = app
            .call(method.clone(), &path, Some(&user.token), body)
            .await;
        assert_eq!(status, S::NOT_FOUND, "{method} {path}: {answer}");
    }
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"note".to_vec()).file_name("n.txt"),
    );
    let upload = app
        .req(
            Method::POST,
            &format!("/api/v1/attachments/upload/{id}"),
            Some(&user.token),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), S::NOT_FOUND, "upload");
    let (_, list) = app
        .call(Method::GET, "/api/v1/tickets/", Some(&user.token), None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "not listed");

    // Nothing changed: staff still see it open, with its file and no message.
    let (_, seen) = app
        .call(Method::GET, &t("/api/v1/tickets/{id}"), Some(&admin), None)
        .await;
    assert_eq!(
        (
            seen["status"].clone(),
            seen["title"].clone(),
            seen["messages_count"].clone()
        ),
        (json!("new"), json!("Hidden soon"), json!(0))
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM attachments WHERE ticket_id = {id}"
        ))
        .await,
        1
    );
}
