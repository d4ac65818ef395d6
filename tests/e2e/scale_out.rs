//! Three instances sharing nothing but the database: a mixed load through a round-robin
//! client (tickets, attachments uploaded on one instance and downloaded from the others,
//! exports, sign-ins, an SSE client on every instance), one instance killed with SIGKILL in
//! the middle and started again; then everything acknowledged must be there, on every
//! instance. On PostgreSQL (CI's second pass) this is the deployment the README describes:
//! files in the database, commits heard by LISTEN/NOTIFY, one rate budget. On SQLite the same
//! three processes share one file (events then travel by polling).
//!
//! It prints its figures (requests, events, cross-instance delivery p50/p99) for the README.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

use fixdesk_service::{Fixdesk, ServiceSettings};
use fixdesk_tests::{ADMIN_PASSWORD, Sse, USER_PASSWORD, database_url_for};
use reqwest::{
    Method, StatusCode,
    multipart::{Form, Part},
};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::server_process::ServerProcess;

const INSTANCES: usize = 3;
/// How long the mixed load runs; the instance is killed half-way.
const LOAD: Duration = Duration::from_secs(20);
const REQUESTERS: usize = 4;
/// Requests per client and minute, shared by the deployment (a slice is a twentieth).
const LIMIT: u64 = 600;

/// Where the instances are: `None` while one is down (a load balancer's health check).
type Bases = Arc<RwLock<Vec<Option<String>>>>;

/// A round-robin client in front of the instances, as a load balancer would be. Each load
/// client has its own address (behind the trusted proxy, i.e. the test).
#[derive(Clone)]
struct Balancer {
    http: reqwest::Client,
    bases: Bases,
    next: Arc<Mutex<usize>>,
    /// Requests sent and requests answered with a status, for the figures.
    counts: Arc<Mutex<(u64, u64)>>,
}

impl Balancer {
    /// The next live instance: its index and base URL.
    fn pick(&self) -> (usize, String) {
        let bases = self.bases.read().unwrap();
        let mut next = self.next.lock().unwrap();
        for _ in 0..INSTANCES {
            let i = *next % INSTANCES;
            *next += 1;
            if let Some(b) = &bases[i] {
                return (i, b.clone());
            }
        }
        panic!("no instance is up");
    }

    fn on(
        &self,
        base: &str,
        method: Method,
        path: &str,
        token: &str,
        from: &str,
    ) -> reqwest::RequestBuilder {
        let r = self
            .http
            .request(method, format!("{base}{path}"))
            .header("X-Forwarded-For", from)
            .timeout(Duration::from_secs(30));
        if token.is_empty() {
            r
        } else {
            r.bearer_auth(token)
        }
    }

    /// Sends a request; `None` if it got no answer (the instance died
    /// under it: not acknowledged, so nothing is owed).
    async fn send(&self, r: reqwest::RequestBuilder) -> Option<reqwest::Response> {
        self.counts.lock().unwrap().0 += 1;
        let r = r.send().await.ok()?;
        self.counts.lock().unwrap().1 += 1;
        Some(r)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        from: &str,
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Option<(usize, StatusCode, Value)> {
        let (i, base) = self.pick();
        let r = self
            .send(build(self.on(&base, method, path, token, from)))
            .await?;
        let status = r.status();
        // An answer whose body did not arrive whole (its instance died) acknowledges nothing.
        let body = r.json().await.ok()?;
        Some((i, status, body))
    }
}

async fn sign_in(http: &reqwest::Client, base: &str, name: &str, password: &str) -> String {
    let r = http
        .post(format!("{base}/api/v1/auth/token"))
        .form(&[("username", name), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "sign-in of {name}");
    r.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// What the load got acknowledged.
#[derive(Default)]
struct Acked {
    /// Ticket id → (the instance that filed it, when the 201 came).
    tickets: BTreeMap<i64, (usize, Instant)>,
    /// Attachment id → (the uploading requester, the bytes).
    files: BTreeMap<i64, (usize, Vec<u8>)>,
    /// Export jobs (all requested by requester 0).
    exports: BTreeSet<i64>,
    sign_ins: u64,
    refused: Vec<(String, StatusCode)>,
}

/// One requester of the load: their number, token and address, and what they got acknowledged.
struct Requester {
    lb: Balancer,
    n: usize,
    token: String,
    from: String,
    acked: Arc<Mutex<Acked>>,
}

impl Requester {
    async fn call(
        &self,
        method: Method,
        path: &str,
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Option<(usize, StatusCode, Value)> {
        self.lb
            .call(method, path, &self.token, &self.from, build)
            .await
    }

    fn refused(&self, what: &str, status: StatusCode, body: &Value) {
        let mut acked = self.acked.lock().unwrap();
        acked.refused.push((format!("{what}: {body}"), status));
    }

    async fn file_ticket(&self, round: u64) -> Option<i64> {
        let title = format!("Проектор {}-{round} не включается", self.n);
        let body = json!({"title": title, "description": "Мигает лампа", "room_number": "204"});
        let (i, status, body) = self
            .call(Method::POST, "/api/v1/tickets/", |r| r.json(&body))
            .await?;
        if status != StatusCode::CREATED {
            self.refused("ticket", status, &body);
            return None;
        }
        let id = body["id"].as_i64().unwrap();
        let mut acked = self.acked.lock().unwrap();
        acked.tickets.insert(id, (i, Instant::now()));
        Some(id)
    }

    /// A text file of a size that varies with the round.
    async fn upload(&self, ticket: i64, round: u64) {
        let line = format!("акт осмотра {}-{round}\n", self.n);
        let bytes = line.repeat(50 * (round as usize % 7 + 1)).into_bytes();
        let part = Part::bytes(bytes.clone()).file_name(format!("act-{round}.txt"));
        let path = format!("/api/v1/attachments/upload/{ticket}");
        let Some((_, status, body)) = self
            .call(Method::POST, &path, |r| {
                r.multipart(Form::new().part("file", part))
            })
            .await
        else {
            return;
        };
        if status != StatusCode::CREATED {
            return self.refused("upload", status, &body);
        }
        let id = body["id"].as_i64().unwrap();
        self.acked.lock().unwrap().files.insert(id, (self.n, bytes));
    }

    async fn sign_in(&self) {
        let (_, base) = self.lb.pick();
        let name = format!("requester{}", self.n);
        let form = [("username", name.as_str()), ("password", USER_PASSWORD)];
        let path = "/api/v1/auth/token";
        let request = self.lb.on(&base, Method::POST, path, "", &self.from);
        if let Some(r) = self.lb.send(request.form(&form)).await {
            assert_eq!(r.status(), StatusCode::OK, "sign-in during the load");
            self.acked.lock().unwrap().sign_ins += 1;
        }
    }

    async fn export(&self) {
        let Some((_, status, body)) = self
            .call(Method::POST, "/api/v1/exports/tickets", |r| {
                r.json(&json!({}))
            })
            .await
        else {
            return;
        };
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let id = body["id"].as_i64().unwrap();
        self.acked.lock().unwrap().exports.insert(id);
    }

    /// Works until `until`: a ticket each round, a file every third, a list every fourth, a
    /// sign-in every tenth, and (requester 0) an export every eighth.
    async fn work(self, until: Instant) {
        let mut last_ticket = None;
        let mut round = 0u64;
        while Instant::now() < until {
            round += 1;
            last_ticket = self.file_ticket(round).await.or(last_ticket);
            if let (true, Some(ticket)) = (round.is_multiple_of(3), last_ticket) {
                self.upload(ticket, round).await;
            }
            if round.is_multiple_of(4) {
                self.call(Method::GET, "/api/v1/tickets/?limit=20", |r| r)
                    .await;
            }
            if round % 10 == 5 {
                self.sign_in().await;
            }
            if self.n == 0 && round.is_multiple_of(8) {
                self.export().await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// What one SSE client heard: notification id → (related ticket, when it arrived).
type Heard = Arc<Mutex<BTreeMap<i64, (Option<i64>, Instant)>>>;

/// Follows the agent's notifications on instance `i` until `stop`, reconnecting (with
/// `Last-Event-ID`) whenever the stream ends — for the killed instance, once it is back.
async fn listen(
    http: reqwest::Client,
    bases: Bases,
    i: usize,
    token: String,
    heard: Heard,
    mut stop: watch::Receiver<bool>,
) -> u32 {
    let mut reconnects = 0;
    let mut last = None;
    loop {
        let base = bases.read().unwrap()[i].clone();
        let Some(base) = base else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        // The instance may have died since it was listed: try again until it is back.
        let Ok(mut sse) = Sse::try_connect(&http, &base, &token, last).await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        loop {
            if *stop.borrow() {
                return reconnects;
            }
            tokio::select! {
                event = sse.next(Duration::from_millis(200)) => {
                    if let Some((id, data)) = event {
                        heard.lock().unwrap().insert(id, (data["related_id"].as_i64(), Instant::now()));
                        last = Some(id);
                    }
                }
                _ = stop.changed() => return reconnects,
            }
            if sse.ended() {
                reconnects += 1;
                break;
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::test]
async fn three_instances_lose_nothing_when_one_is_killed_mid_load() {
    let root = tempfile::tempdir().unwrap();
    let url = database_url_for(root.path()).await;
    let dirs: Vec<_> = (0..INSTANCES)
        .map(|i| {
            let d = root.path().join(format!("instance{i}"));
            std::fs::create_dir_all(&d).unwrap();
            d
        })
        .collect();
    let limit = LIMIT.to_string();
    let settings = [
        ("FIXDESK_FILE_STORAGE", "database"),
        ("FIXDESK_RATE_LIMIT_PER_MINUTE", limit.as_str()),
        ("FIXDESK_TRUSTED_PROXIES", "127.0.0.1"),
        ("FIXDESK_JOB_WORKERS", "2"),
    ];
    // All three start at once: they migrate and seed one database together.
    let mut servers: Vec<Option<ServerProcess>> = futures::future::join_all(
        dirs.iter()
            .map(|d| ServerProcess::start_with(d, &url, &settings)),
    )
    .await
    .into_iter()
    .map(Some)
    .collect();
    let bases: Bases = Arc::new(RwLock::new(
        servers
            .iter()
            .map(|s| s.as_ref().map(|s| s.base.clone()))
            .collect(),
    ));
    let http = reqwest::Client::new();
    let first = bases.read().unwrap()[0].clone().unwrap();

    // People: an agent who follows the desk live on every instance, and requesters.
    let admin = sign_in(&http, &first, "admin", ADMIN_PASSWORD).await;
    let mut ids = BTreeMap::new();
    for (name, role) in std::iter::once(("agent".to_string(), "agent"))
        .chain((0..REQUESTERS).map(|n| (format!("requester{n}"), "user")))
    {
        let r = http
            .post(format!("{first}/api/v1/users/"))
            .bearer_auth(&admin)
            .json(&json!({"username": name, "password": USER_PASSWORD, "role": role}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.insert(
            name.clone(),
            r.json::<Value>().await.unwrap()["id"].as_i64().unwrap(),
        );
    }
    let agent = sign_in(&http, &first, "agent", USER_PASSWORD).await;
    let (stop_tx, stop_rx) = watch::channel(false);
    let heard: Vec<Heard> = (0..INSTANCES).map(|_| Heard::default()).collect();
    let listeners: Vec<_> = (0..INSTANCES)
        .map(|i| {
            tokio::spawn(listen(
                http.clone(),
                bases.clone(),
                i,
                agent.clone(),
                heard[i].clone(),
                stop_rx.clone(),
            ))
        })
        .collect();

    // The load, with instance 1 killed half-way and started again two seconds later.
    let lb = Balancer {
        http: http.clone(),
        bases: bases.clone(),
        next: Arc::default(),
        counts: Arc::default(),
    };
    let acked = Arc::new(Mutex::new(Acked::default()));
    let until = Instant::now() + LOAD;
    let mut load = Vec::new();
    for n in 0..REQUESTERS {
        let token = sign_in(&http, &first, &format!("requester{n}"), USER_PASSWORD).await;
        let requester = Requester {
            lb: lb.clone(),
            n,
            token,
            from: format!("10.0.0.{n}"),
            acked: acked.clone(),
        };
        load.push(tokio::spawn(requester.work(until)));
    }
    tokio::time::sleep(LOAD / 2).await;
    // Killed first, then taken out of the rotation: requests in flight or sent in between
    // get no answer and are not acknowledged.
    servers[1].take().unwrap().kill().await;
    bases.write().unwrap()[1] = None;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let again = ServerProcess::start_with(&dirs[1], &url, &settings).await;
    bases.write().unwrap()[1] = Some(again.base.clone());
    servers[1] = Some(again);
    for l in load {
        l.await.unwrap();
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(
        acked.refused.is_empty(),
        "refused during the load: {:?}",
        acked.refused
    );
    assert!(acked.tickets.len() > 20 && !acked.files.is_empty() && !acked.exports.is_empty());

    // The queue drains: a job the killed instance held is taken again once its lease lapses.
    let db = fixdesk_service::connect_database(&url, &Default::default())
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(100);
    while scalar(
        &db,
        "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')",
    )
    .await
        > 0
    {
        assert!(Instant::now() < deadline, "the job queue did not drain");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Every SSE client hears every notification of the agent, the restarted one by resuming.
    let expected: BTreeSet<i64> = column(
        &db,
        &format!(
            "SELECT id FROM notifications WHERE user_id = {}",
            ids["agent"]
        ),
    )
    .await
    .into_iter()
    .collect();
    assert!(expected.len() >= acked.tickets.len());
    let deadline = Instant::now() + Duration::from_secs(10);
    for (i, h) in heard.iter().enumerate() {
        loop {
            let got: BTreeSet<i64> = h.lock().unwrap().keys().copied().collect();
            if got == expected {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "instance {i}'s stream missed {:?} and invented {:?}",
                expected.difference(&got).collect::<Vec<_>>(),
                got.difference(&expected).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    stop_tx.send(true).unwrap();
    let mut reconnects = Vec::new();
    for l in listeners {
        reconnects.push(l.await.unwrap());
    }
    assert!(reconnects[1] >= 1, "the killed instance's stream resumed");

    // Delivery to the other instances: from the 201 to the event on another instance's stream
    // (the streams of the instances that stayed up: the other waited for its restart).
    let mut latency = Vec::new();
    for (i, h) in heard.iter().enumerate().filter(|(i, _)| *i != 1) {
        let by_ticket: BTreeMap<i64, Instant> = h
            .lock()
            .unwrap()
            .values()
            .filter_map(|(t, at)| t.map(|t| (t, *at)))
            .collect();
        for (ticket, (filed_on, acked_at)) in &acked.tickets {
            if let (true, Some(at)) = (*filed_on != i, by_ticket.get(ticket)) {
                latency.push(at.saturating_duration_since(*acked_at));
            }
        }
    }
    latency.sort();

    // Every acknowledged ticket, file and export is there, from every instance. Checked
    // with fresh sessions from addresses of their own, so the check's requests do not spend
    // the load's rate budget.
    let live: Vec<String> = bases.read().unwrap().iter().flatten().cloned().collect();
    let check_admin = sign_in(&http, &first, "admin", ADMIN_PASSWORD).await;
    let mut fresh = BTreeMap::new();
    for n in 0..REQUESTERS {
        fresh.insert(
            n,
            sign_in(&http, &first, &format!("requester{n}"), USER_PASSWORD).await,
        );
    }
    let get = |base: &str, path: String, token: &str, from: &str| {
        http.get(format!("{base}{path}"))
            .bearer_auth(token)
            .header("X-Forwarded-For", from)
            .send()
    };
    for (i, base) in live.iter().enumerate() {
        let mut seen = BTreeSet::new();
        loop {
            let path = format!("/api/v1/tickets/?limit=100&skip={}", seen.len());
            let page: Vec<Value> = get(base, path, &check_admin, &format!("10.50.0.{i}"))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            seen.extend(page.iter().map(|t| t["id"].as_i64().unwrap()));
        }
        let missing: Vec<_> = acked.tickets.keys().filter(|t| !seen.contains(t)).collect();
        assert!(
            missing.is_empty(),
            "{base} lacks acknowledged tickets {missing:?}"
        );
    }
    for (id, (owner, bytes)) in &acked.files {
        for (i, base) in live.iter().enumerate() {
            let path = format!("/api/v1/attachments/download/{id}");
            let r = get(base, path, &fresh[owner], &format!("10.51.{owner}.{i}"))
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "file {id} on {base}");
            assert_eq!(
                &r.bytes().await.unwrap()[..],
                &bytes[..],
                "file {id} on {base}"
            );
        }
    }
    for id in &acked.exports {
        for (i, base) in live.iter().enumerate() {
            let path = format!("/api/v1/exports/{id}/download");
            let r = get(base, path, &fresh[&0], &format!("10.52.0.{i}"))
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "export {id} on {base}");
            assert!(
                r.text().await.unwrap().lines().count() > 1,
                "export {id} has rows"
            );
        }
    }
    // No job lost or run twice: every export done once; a second attempt only for what the
    // killed instance held (two workers).
    let exports = acked.exports.len() as i64;
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'export_tickets' AND state = 'done'"
        )
        .await,
        exports
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM jobs WHERE state = 'dead'").await,
        0
    );
    assert!(scalar(&db, "SELECT COUNT(*) FROM jobs WHERE attempts > 1").await <= 2);

    // The counters and the audit chain are whole.
    let mut check = ServiceSettings::new(url.clone());
    check.migrate_on_start = false;
    let service = Fixdesk::open(check).await.unwrap();
    assert_eq!(
        service.operator().verify_statistics().await.unwrap(),
        vec![]
    );
    assert!(service.operator().verify_audit().await.unwrap().is_empty());

    // One client's budget holds for the deployment: LIMIT requests a minute in all, however
    // they are spread (a slice an instance took and did not spend may go unused). The budget
    // is kept per wall-clock minute: begin well inside one.
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 60;
    if second > 50 {
        tokio::time::sleep(Duration::from_secs(61 - second)).await;
    }
    let flood = Balancer {
        counts: Arc::default(),
        ..lb.clone()
    };
    let mut answered = BTreeMap::<u16, u64>::new();
    for _ in 0..LIMIT + 60 {
        let (_, base) = flood.pick();
        let r = flood
            .send(flood.on(&base, Method::GET, "/", "", "10.99.0.1"))
            .await
            .unwrap();
        *answered.entry(r.status().as_u16()).or_default() += 1;
    }
    let ok = answered.get(&200).copied().unwrap_or(0);
    let shared = fixdesk_tests::on_postgres();
    if shared {
        let slice = LIMIT / 20;
        assert!(
            ok <= LIMIT && ok + INSTANCES as u64 * slice >= LIMIT,
            "{answered:?}"
        );
        // Once the budget is spent an instance refuses from memory: the refusals did not
        // each ask the database (every asking adds a slice to the client's row).
        let asked = scalar(&db, "SELECT MAX(used) FROM rate_windows").await;
        assert!(
            asked <= (LIMIT + 2 * INSTANCES as u64 * slice) as i64,
            "the budget was asked for {asked}"
        );
    }
    // The sign-in bound too: ten failures from one address, whichever instance they reach.
    let mut failures = Vec::new();
    for _ in 0..13 {
        let (_, base) = lb.pick();
        let form = [("username", "agent"), ("password", "wrong-password")];
        let r = lb
            .send(
                lb.on(&base, Method::POST, "/api/v1/auth/token", "", "10.98.0.1")
                    .form(&form),
            )
            .await
            .unwrap();
        failures.push(r.status().as_u16());
    }
    assert_eq!(failures, [[401; 10].as_slice(), &[429; 3]].concat());

    let (sent, answered_load) = *lb.counts.lock().unwrap();
    eprintln!(
        "scale-out soak ({}): {} instances, {:?} of load, {sent} requests sent, {answered_load} \
         answered; {} tickets, {} files, {} exports, {} sign-ins acknowledged; {} notifications \
         heard on each stream (killed instance's stream resumed {} time(s)); cross-instance \
         delivery p50 {:?}, p99 {:?} over {} deliveries; flood of {} requests from one client: \
         {answered:?}",
        if shared { "PostgreSQL" } else { "SQLite" },
        INSTANCES,
        LOAD,
        acked.tickets.len(),
        acked.files.len(),
        acked.exports.len(),
        acked.sign_ins,
        expected.len(),
        reconnects[1],
        percentile(&latency, 0.5),
        percentile(&latency, 0.99),
        latency.len(),
        LIMIT + 60,
    );
    for s in servers.into_iter().flatten() {
        s.stop().await;
    }
}

async fn column(db: &fixdesk_service::Database, sql: &str) -> Vec<i64> {
    use sea_orm::{ConnectionTrait, Statement};
    let conn = db.reader();
    conn.query_all_raw(Statement::from_string(
        conn.get_database_backend(),
        sql.to_string(),
    ))
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get_by_index::<i64>(0).unwrap())
    .collect()
}

async fn scalar(db: &fixdesk_service::Database, sql: &str) -> i64 {
    column(db, sql).await[0]
}
