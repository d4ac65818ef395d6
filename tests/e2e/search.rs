//! Full-text search (`GET /search`, and `search=` on the ticket list): what each role finds,
//! word forms in Russian and English, ranking, ticket and room numbers, equipment, and the
//! index kept by every write and rebuilt on demand. Runs on PostgreSQL too.

use fixdesk_tests::{TestApp, TestUser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn encode(q: &str) -> String {
    percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string()
}

async fn file(app: &TestApp, who: &TestUser, title: &str, description: &str, room: &str) -> i64 {
    let (status, t) = app
        .call(
            Method::POST,
            "/api/v1/tickets/",
            Some(&who.token),
            Some(json!({"title": title, "description": description, "room_number": room})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    t["id"].as_i64().unwrap()
}

async fn say(app: &TestApp, token: &str, ticket: i64, text: &str, internal: bool) {
    let (status, m) = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{ticket}/messages"),
            Some(token),
            Some(json!({"message": text, "internal": internal})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
}

/// The hits of a search as (kind, id, matched_in), and the whole answer.
async fn search(app: &TestApp, token: &str, q: &str) -> (Vec<(String, i64, String)>, Value) {
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/search?q={}", encode(q)),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hits = body
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_owned(),
                h["id"].as_i64().unwrap(),
                h["matched_in"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (hits, body)
}

fn ticket_ids(hits: &[(String, i64, String)]) -> Vec<i64> {
    hits.iter()
        .filter(|h| h.0 == "ticket")
        .map(|h| h.1)
        .collect()
}

async fn list_ids(app: &TestApp, token: &str, search: &str) -> Vec<i64> {
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/?search={}", encode(search)),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn each_role_finds_what_it_may_see_in_any_word_form() {
    let app = TestApp::spawn().await;
    let anna = app.user("fts_anna", "user").await;
    let boris = app.user("fts_boris", "user").await;
    let agent = app.user("fts_agent", "agent").await;

    let printer = file(
        &app,
        &anna,
        "Принтер не печатает",
        "Горит красная лампа",
        "214",
    )
    .await;
    let projector = file(
        &app,
        &boris,
        "Projector flickers",
        "The projector in the hall flickers since spring",
        "Hall",
    )
    .await;
    let scanner = file(&app, &anna, "Сканер", "Не видит принтеры в сети", "7").await;
    say(
        &app,
        &agent.token,
        printer,
        "Заменил картридж, проверьте",
        false,
    )
    .await;
    say(
        &app,
        &agent.token,
        printer,
        "Пароль сервисного меню: тюльпан",
        true,
    )
    .await;

    // Word forms: the query's stem meets the indexed forms.
    let (hits, body) = search(&app, &agent.token, "принтеры").await;
    let found = ticket_ids(&hits);
    assert_eq!(found.len(), 2, "{body}");
    assert_eq!(found[0], printer, "a title match ranks first: {body}");
    assert!(found.contains(&scanner));
    let first = &body[0];
    assert!(
        first["snippet_html"].as_str().unwrap().contains("<mark>"),
        "{first}"
    );
    let (hits, _) = search(&app, &agent.token, "flickering projectors").await;
    assert_eq!(ticket_ids(&hits), [projector]);

    // A message finds its ticket, for the requester too.
    let (hits, _) = search(&app, &anna.token, "картриджа").await;
    assert_eq!(hits, [("ticket".into(), printer, "message".into())]);

    // An internal note: staff find it, the requester never does (nor through the list).
    let (hits, _) = search(&app, &agent.token, "тюльпан").await;
    assert_eq!(hits, [("ticket".into(), printer, "note".into())]);
    assert!(search(&app, &anna.token, "тюльпан").await.0.is_empty());
    assert_eq!(list_ids(&app, &agent.token, "тюльпан").await, [printer]);
    assert!(list_ids(&app, &anna.token, "тюльпан").await.is_empty());

    // Someone else's ticket is not found by a requester, by text or by number.
    assert!(search(&app, &anna.token, "projector").await.0.is_empty());
    assert!(
        search(&app, &anna.token, &format!("#{projector}"))
            .await
            .0
            .is_empty()
    );
    assert_eq!(
        list_ids(&app, &boris.token, "проектор flickers").await,
        Vec::<i64>::new()
    );
    assert_eq!(list_ids(&app, &boris.token, "flickers").await, [projector]);

    // Ticket numbers and rooms, exactly; short rooms too.
    let (hits, _) = search(&app, &agent.token, &format!("#{scanner}")).await;
    assert_eq!(hits[0], ("ticket".into(), scanner, "number".into()));
    let (hits, _) = search(&app, &agent.token, "7").await;
    assert!(
        hits.contains(&("ticket".into(), scanner, "room".into())),
        "{hits:?}"
    );
    assert!(!ticket_ids(&hits).contains(&printer));
    let (hits, _) = search(&app, &anna.token, "214").await;
    assert_eq!(ticket_ids(&hits), [printer]);

    // The list's search looks in messages now, not only title and description.
    assert_eq!(list_ids(&app, &anna.token, "картридж").await, [printer]);

    // A requester's hidden ticket is gone from their search.
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tickets/{scanner}"),
            Some(&anna.token),
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");
    let (hits, _) = search(&app, &anna.token, "принтер").await;
    assert_eq!(ticket_ids(&hits), [printer]);
}

#[tokio::test]
async fn equipment_is_found_by_its_numbers_and_leaves_the_index_with_its_row() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let user = app.user("fts_eq_user", "user").await;
    app.category("Проекторы").await;
    let (status, item) = app
        .call(
            Method::POST,
            "/api/v1/equipment/",
            Some(&admin),
            Some(
                json!({"name": "Проектор Epson EB-X41", "model": "EB-X41", "type": "Проекторы",
                "serial_number": "SN-77aa", "inventory_number": "INV-0042",
                "location": "Актовый зал"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{item}");
    let id = item["id"].as_i64().unwrap();
    for q in ["INV-0042", "sn-77aa", "актовом зале", "проекторы"] {
        let (hits, body) = search(&app, &user.token, q).await;
        assert_eq!(
            hits,
            [("equipment".into(), id, "equipment".into())],
            "{q}: {body}"
        );
    }
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/equipment/{id}"),
            Some(&admin),
            Some(json!({"location": "Кабинет 301"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        search(&app, &user.token, "актовый").await.0.is_empty(),
        "old text left the index"
    );
    assert_eq!(search(&app, &user.token, "кабинет").await.0.len(), 1);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/v1/equipment/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");
    assert!(search(&app, &user.token, "INV-0042").await.0.is_empty());
}

#[tokio::test]
async fn bad_queries_are_refused_and_the_index_is_rebuilt_on_demand() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let user = app.user("fts_rb_user", "user").await;
    let id = file(&app, &user, "Мерцает монитор", "Dell в бухгалтерии", "12").await;
    for q in ["", "%20%20"] {
        let (status, body) = app
            .call(
                Method::GET,
                &format!("/api/v1/search?q={q}"),
                Some(&user.token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let (status, body) = app
        .call(
            Method::GET,
            "/api/v1/search?q=x&scope=people",
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        app.status(Method::GET, "/api/v1/search?q=x", None, None)
            .await,
        StatusCode::UNAUTHORIZED
    );
    // Pages past anything a search ranks are empty, never an error (found by schemathesis).
    for q in ["12", "0", "монитор"] {
        let (status, body) = app
            .call(
                Method::GET,
                &format!(
                    "/api/v1/search?q={q}&skip=9223372036854775806&limit=-9223372036854775808"
                ),
                Some(&user.token),
                None,
            )
            .await;
        assert_eq!((status, body), (StatusCode::OK, json!([])), "{q}");
    }
    // FTS syntax typed by someone is text, never an error.
    let (hits, _) = search(&app, &user.token, "\"монитор* OR (мерцает:*").await;
    assert_eq!(ticket_ids(&hits), [id]);

    app.exec("DELETE FROM search_index").await;
    assert!(search(&app, &user.token, "монитор").await.0.is_empty());
    assert_eq!(
        app.status(
            Method::POST,
            "/api/v1/search/rebuild",
            Some(&user.token),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.status(Method::POST, "/api/v1/search/rebuild", Some(&admin), None)
            .await,
        StatusCode::ACCEPTED
    );
    app.jobs_settled().await;
    let (hits, _) = search(&app, &user.token, "мониторы").await;
    assert_eq!(ticket_ids(&hits), [id]);
}
