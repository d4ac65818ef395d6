//! The use cases through [`Fixdesk`], below any transport: the write rules that matter —
//! one unit of work per change with its audit row and its counters, nothing left behind by a
//! refusal or a failure, and every permission checked by the use case itself — so a failure
//! here names the use case, not an endpoint. In-memory SQLite by default; a database of its
//! own on the PostgreSQL server of `FIXDESK_TEST_DATABASE_URL` when that is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fixdesk_service::{
    Fixdesk, Helpdesk, ServiceError, ServiceSettings,
    domain::{
        Actor, ClientInfo, Description, DeskRules, DomainError, FieldError, Language, NewTicket,
        NewUser, Page, Password, PreferencesChange, Priority, Resolution, Role, RoomNumber,
        TicketChanges, TicketFilter, TicketId, TicketQuery, TicketStatus, TimeZone, Title,
        Username,
    },
};
use sea_orm::{ConnectionTrait, Statement};

const ADMIN_PASSWORD: &str = "service-tier-admin";
const PASSWORD: &str = "service-tier-pass";

struct Desk {
    service: Fixdesk,
    admin: Actor,
    client: ClientInfo,
}

fn parsed<T>(r: Result<T, FieldError>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

/// A fresh database: in memory, or of its own on the test PostgreSQL server.
async fn database_url() -> String {
    let Some(server) = std::env::var("FIXDESK_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
    else {
        return "sqlite::memory:".into();
    };
    let name = format!("fixdesk_svc_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(server.clone()).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.unwrap();
    let (base, _) = server.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

impl Desk {
    async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// A desk whose settings `adjust` changes first (its rules, its data directory).
    async fn with(adjust: impl FnOnce(&mut ServiceSettings)) -> Self {
        let mut settings = ServiceSettings::new(database_url().await);
        adjust(&mut settings);
        let service = Fixdesk::open(settings).await.unwrap();
        service.ensure_admin(Some(ADMIN_PASSWORD)).await.unwrap();
        let client = ClientInfo {
            ip: Some("10.1.2.3".into()),
            user_agent: Some("service-tier tests".into()),
        };
        let admin = sign_in(&service, "admin", ADMIN_PASSWORD, &client).await;
        Self {
            service,
            admin,
            client,
        }
    }

    async fn person(&self, name: &str, role: Role) -> Actor {
        let new = NewUser {
            username: parsed(Username::parse(name)),
            password: parsed(Password::parse(PASSWORD)),
            email: None,
            full_name: None,
            role,
            is_active: true,
        };
        self.service
            .users()
            .create(&self.admin, new, &self.client)
            .await
            .unwrap();
        sign_in(&self.service, name, PASSWORD, &self.client).await
    }

    async fn file(&self, by: &Actor, title: &str) -> Result<TicketId, ServiceError> {
        let new = NewTicket {
            title: parsed(Title::parse(title)),
            description: parsed(Description::parse("не включается")),
            room_number: parsed(RoomNumber::parse("101")),
            priority: Priority::Medium,
            category_id: None,
            equipment_id: None,
        };
        let t = self.service.tickets().create(by, new, &self.client).await?;
        Ok(t.id)
    }

    async fn count(&self, sql: &str) -> i64 {
        let db = self.service.database().reader();
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// Rows of the tables a change writes to, to compare before and after.
    async fn footprint(&self) -> [i64; 4] {
        [
            self.count("SELECT COUNT(*) FROM tickets").await,
            self.count("SELECT COUNT(*) FROM audit_logs").await,
            self.count("SELECT COUNT(*) FROM ticket_messages").await,
            self.count("SELECT CAST(COALESCE(SUM(tickets), 0) AS BIGINT) FROM stats_tickets")
                .await,
        ]
    }

    async fn counters_agree(&self) {
        let differences = self.service.operator().verify_statistics().await.unwrap();
        assert!(differences.is_empty(), "{differences:?}");
    }
}

async fn sign_in(service: &Fixdesk, name: &str, password: &str, client: &ClientInfo) -> Actor {
    let token = service.auth().login(name, password, client).await.unwrap();
    service
        .auth()
        .authenticate(&token.access_token)
        .await
        .unwrap()
}

fn domain(e: ServiceError) -> DomainError {
    match e {
        ServiceError::Domain(d) => d,
        other => panic!("expected a rule's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn filing_a_ticket_commits_it_with_its_audit_row_and_its_counters() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let [tickets, audit, _, counted] = desk.footprint().await;
    let id = desk.file(&user, "Проектор мигает").await.unwrap();
    assert_eq!(
        desk.footprint().await,
        [tickets + 1, audit + 1, 0, counted + 1]
    );
    assert_eq!(
        desk.count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'ticket' AND entity_id = {} \
             AND action_type = 'CREATE' AND user_id = {}",
            id.0, user.id.0
        ))
        .await,
        1,
        "the audit row names the ticket and who filed it"
    );
    let summary = desk
        .service
        .statistics()
        .summary(&desk.admin)
        .await
        .unwrap();
    assert_eq!(summary.total, counted + 1);
    desk.counters_agree().await;
}

#[tokio::test]
async fn a_refusal_changes_nothing_and_writes_no_audit_row() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let id = desk.file(&user, "Стул сломан").await.unwrap();
    let before = desk.footprint().await;

    let staff_only = desk
        .service
        .tickets()
        .set_status(&user, id, TicketStatus::InProgress, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(staff_only), DomainError::StaffRequired);
    let status_field = TicketChanges {
        status: Some(TicketStatus::Closed),
        ..Default::default()
    };
    let refused = desk
        .service
        .tickets()
        .update(&user, id, status_field, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(refused), DomainError::FieldForbidden("status"));
    let unknown_category = NewTicket {
        title: parsed(Title::parse("t")),
        description: parsed(Description::parse("")),
        room_number: parsed(RoomNumber::parse("1")),
        priority: Priority::Low,
        category_id: Some(fixdesk_service::domain::CategoryId(999)),
        equipment_id: None,
    };
    let refused = desk
        .service
        .tickets()
        .create(&user, unknown_category, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(refused), DomainError::UnknownCategory);

    assert_eq!(desk.footprint().await, before, "nothing written");
    desk.counters_agree().await;
}

#[tokio::test]
async fn a_refusal_found_inside_the_unit_of_work_leaves_everything_as_it_was() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let agent = desk.person("agent", Role::Agent).await;
    let id = desk.file(&user, "Нет сети").await.unwrap();
    let before = desk.footprint().await;
    // The ticket is loaded and checked inside the unit of work before the assignee is found
    // unfit: the failure must leave the ticket as it was.
    let refused = desk
        .service
        .tickets()
        .assign(&agent, id, user.id, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(refused), DomainError::AgentNotFound);
    let t = desk.service.tickets().get(&desk.admin, id).await.unwrap();
    assert_eq!((t.status, t.assigned_to_id), (TicketStatus::New, None));
    assert_eq!(desk.footprint().await, before);
}

#[tokio::test]
async fn every_permission_is_checked_by_the_use_case_itself() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let first = desk.person("agent_one", Role::Agent).await;
    let second = desk.person("agent_two", Role::Agent).await;
    let tickets = desk.service.tickets();
    let id = desk.file(&anna, "Монитор").await.unwrap();

    let err = tickets.get(&boris, id).await.unwrap_err();
    assert_eq!(domain(err), DomainError::CannotViewTicket);
    tickets.claim(&first, id, &desk.client).await.unwrap();
    let err = tickets
        .set_status(&second, id, TicketStatus::Closed, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::AssignedToOther);
    let err = tickets.claim(&second, id, &desk.client).await.unwrap_err();
    assert_eq!(domain(err), DomainError::AlreadyClaimed);

    // A ticket its creator hid is gone for them, on every use case.
    let hidden = desk.file(&anna, "Скрою").await.unwrap();
    tickets.delete(&anna, hidden, &desk.client).await.unwrap();
    for err in [
        tickets.get(&anna, hidden).await.unwrap_err(),
        tickets
            .close(&anna, hidden, &desk.client)
            .await
            .unwrap_err(),
        tickets.messages(&anna, hidden).await.unwrap_err(),
    ] {
        assert_eq!(domain(err), DomainError::TicketNotFound);
    }
    let err = desk
        .service
        .users()
        .delete(&desk.admin, desk.admin.id, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::CannotDeleteSelf);
}

#[tokio::test]
async fn counters_follow_every_ticket_write() {
    let desk = Desk::new().await;
    let user = desk.person("teacher", Role::User).await;
    let agent = desk.person("agent", Role::Agent).await;
    let tickets = desk.service.tickets();
    let a = desk.file(&user, "A").await.unwrap();
    let b = desk.file(&user, "B").await.unwrap();
    desk.counters_agree().await;
    tickets.claim(&agent, a, &desk.client).await.unwrap();
    tickets
        .set_status(&agent, a, TicketStatus::Closed, &desk.client)
        .await
        .unwrap();
    desk.counters_agree().await;
    tickets.close(&user, b, &desk.client).await.unwrap();
    tickets
        .set_status(&agent, b, TicketStatus::InProgress, &desk.client)
        .await
        .unwrap();
    desk.counters_agree().await;
    tickets.delete(&desk.admin, a, &desk.client).await.unwrap();
    desk.counters_agree().await;
    let summary = desk
        .service
        .statistics()
        .summary(&desk.admin)
        .await
        .unwrap();
    assert_eq!(summary.total, 1);
}

#[tokio::test]
async fn a_name_holding_nul_signs_nobody_in_and_breaks_nothing() {
    let desk = Desk::new().await;
    let err = desk
        .service
        .auth()
        .login("ad\u{0}min", ADMIN_PASSWORD, &desk.client)
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::BadCredentials), "{err:?}");
    assert_eq!(
        desk.count("SELECT COUNT(*) FROM audit_logs WHERE action_type = 'LOGIN_FAILED'")
            .await,
        1,
        "the attempt is audited (with the NUL escaped)"
    );
}

#[tokio::test]
async fn a_close_needs_a_resolution_and_the_creator_may_reopen_within_the_window() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let tickets = desk.service.tickets();
    let id = desk.file(&anna, "Принтер").await.unwrap();
    let before = desk.footprint().await;
    let err = tickets
        .resolve(&agent, id, parsed(Resolution::parse("   ")), &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::ResolutionRequired);
    assert_eq!(desk.footprint().await, before, "a refusal writes nothing");
    let closed = tickets
        .resolve(
            &agent,
            id,
            parsed(Resolution::parse("Заменён ролик")),
            &desk.client,
        )
        .await
        .unwrap();
    assert_eq!(closed.status, TicketStatus::Closed);
    assert_eq!(closed.resolution.as_deref(), Some("Заменён ролик"));
    let reopened = tickets.reopen(&anna, id, None, &desk.client).await.unwrap();
    assert_eq!(reopened.status, TicketStatus::New);
    assert_eq!(reopened.closed_at, None);
    // The creator closes too, with their own words; a week and a day later the window is shut.
    tickets
        .resolve(
            &anna,
            id,
            parsed(Resolution::parse("Сам починил")),
            &desk.client,
        )
        .await
        .unwrap();
    desk.counters_agree().await;
    // Moved back in time by hand (the day counters then disagree, as such an edit would).
    desk.service
        .database()
        .writer()
        .execute_unprepared(&format!(
            "UPDATE tickets SET closed_at = '2020-01-01 00:00:00' WHERE id = {id}"
        ))
        .await
        .unwrap();
    let err = tickets
        .reopen(&anna, id, None, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::ReopenWindowPassed);
    let boris = desk.person("boris", Role::User).await;
    let err = tickets
        .reopen(&boris, id, None, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::CannotViewTicket);
    tickets
        .reopen(&agent, id, None, &desk.client)
        .await
        .unwrap();
    let reopen_rows = desk
        .count(&format!(
            "SELECT COUNT(*) FROM audit_logs WHERE entity_id = {id} AND description LIKE '%переоткрыта%'"
        ))
        .await;
    assert_eq!(reopen_rows, 2);
}

#[tokio::test]
async fn agents_hand_tickets_over_only_where_the_desk_allows_it() {
    let desk = Desk::with(|s| s.rules = DeskRules::new(7, false)).await;
    let anna = desk.person("anna", Role::User).await;
    let first = desk.person("agent_one", Role::Agent).await;
    let second = desk.person("agent_two", Role::Agent).await;
    let tickets = desk.service.tickets();
    let id = desk.file(&anna, "Сканер").await.unwrap();
    tickets.claim(&first, id, &desk.client).await.unwrap();
    let err = tickets
        .assign(&first, id, second.id, &desk.client)
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::HandOverAdminOnly);
    // Giving it back to the queue is always theirs to do.
    let back = tickets.unassign(&first, id, &desk.client).await.unwrap();
    assert_eq!(
        (back.assigned_to_id, back.status),
        (None, TicketStatus::New)
    );
    let given = tickets
        .assign(&desk.admin, id, second.id, &desk.client)
        .await
        .unwrap();
    assert_eq!(given.assigned_to_id, Some(second.id));
    desk.counters_agree().await;
}

#[tokio::test]
async fn preferences_belong_to_the_account_and_a_new_zone_is_audited() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let users = desk.service.users();
    let audit = "SELECT COUNT(*) FROM audit_logs";
    let rows = desk.count(audit).await;
    // A zone the browser reports at sign-in is kept, but nobody chose it: no audit row.
    let learnt = PreferencesChange {
        time_zone: Some(parsed(TimeZone::parse("Asia/Vladivostok"))),
        learnt: true,
        ..PreferencesChange::default()
    };
    let kept = users
        .set_preferences(&anna, learnt, &desk.client)
        .await
        .unwrap();
    assert_eq!(kept.time_zone.map(TimeZone::name), Some("Asia/Vladivostok"));
    assert_eq!(desk.count(audit).await, rows);
    let zone = PreferencesChange {
        time_zone: Some(parsed(TimeZone::parse("Europe/Moscow"))),
        language: Some(Language::En),
        ..PreferencesChange::default()
    };
    let saved = users
        .set_preferences(&anna, zone.clone(), &desk.client)
        .await
        .unwrap();
    assert_eq!(saved.time_zone.map(TimeZone::name), Some("Europe/Moscow"));
    assert_eq!(desk.count(audit).await, rows + 1);
    // The same again changes nothing; remembered list filters are view state, not audited.
    users
        .set_preferences(&anna, zone, &desk.client)
        .await
        .unwrap();
    let filters = parsed(PreferencesChange::default().with_filters("view=all&q=204"));
    users
        .set_preferences(&anna, filters, &desk.client)
        .await
        .unwrap();
    assert_eq!(desk.count(audit).await, rows + 1);
    let read = users.preferences(&anna).await.unwrap();
    assert_eq!(read.ticket_filters.as_deref(), Some("view=all&q=204"));
    assert_eq!(read.language, Some(Language::En));
}

#[tokio::test]
async fn staff_find_a_ticket_by_number_room_or_author() {
    let desk = Desk::new().await;
    let anna = desk.person("anna_petrova", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let mine = desk.file(&anna, "Монитор").await.unwrap();
    desk.file(&boris, "Клавиатура").await.unwrap();
    let find = |term: &str, who: &Actor| {
        let query = TicketQuery {
            filter: TicketFilter {
                search: Some(term.to_string()),
                ..TicketFilter::default()
            },
            page: Page::new(0, 50),
            ..TicketQuery::default()
        };
        let tickets = desk.service.tickets();
        let who = who.clone();
        async move {
            let page = tickets.list(&who, query).await.unwrap();
            (
                page.total,
                page.items.iter().map(|t| t.id).collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(find(&format!("#{mine}"), &agent).await, (1, vec![mine]));
    assert_eq!(find("ПЕТРОВА", &agent).await.0, 0, "no name holds it");
    assert_eq!(find("Anna_P", &agent).await, (1, vec![mine]));
    assert_eq!(find("101", &agent).await.0, 2, "the room of both");
    // A user's search stays within their own tickets.
    assert_eq!(find("101", &boris).await.0, 1);
}

#[tokio::test]
async fn a_refused_file_leaves_nothing_behind_and_a_discarded_one_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    // Files on the disk, where they can be counted (on PostgreSQL the default is the database;
    // the end-to-end tests count those rows).
    let desk = Desk::with(|s| {
        s.data_dir = data.clone();
        s.file_storage = Some(fixdesk_service::FileStorage::Local);
    })
    .await;
    let anna = desk.person("anna", Role::User).await;
    let files = desk.service.attachments();
    let body = |bytes: &'static [u8]| -> fixdesk_service::ByteStream {
        Box::pin(futures::stream::once(async move { Ok(bytes.to_vec()) }))
    };
    let stored = || {
        std::fs::read_dir(data.join("attachments/uploads"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let err = files
        .stage(&anna, "photo.heic", body(b"<html>not a photo</html>"))
        .await
        .unwrap_err();
    assert_eq!(domain(err), DomainError::FileContentMismatch);
    assert_eq!(stored(), 0);
    let heic: &'static [u8] = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic";
    let staged = files
        .stage(&anna, "IMG_0001.HEIC", body(heic))
        .await
        .unwrap();
    assert_eq!(staged.content_type, "image/heic");
    assert_eq!(stored(), 1);
    files.discard(vec![staged]).await;
    assert_eq!(stored(), 0);
}

#[tokio::test]
async fn a_ticket_in_full_is_what_its_reader_may_see_in_one_call() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let id = desk.file(&anna, "Проектор").await.unwrap();
    let tickets = desk.service.tickets();
    let text = |s: &str| parsed(fixdesk_service::domain::MessageText::parse(s));
    tickets
        .post_message(&agent, id, text("смотрю"), false, &desk.client)
        .await
        .unwrap();
    tickets
        .post_message(&agent, id, text("лампа на складе"), true, &desk.client)
        .await
        .unwrap();

    let staff = tickets.in_full(&agent, id).await.unwrap();
    assert_eq!(staff.ticket.id, id);
    assert_eq!(staff.messages.len(), 2, "staff read the note too");
    let theirs = tickets.in_full(&anna, id).await.unwrap();
    assert_eq!(theirs.messages.len(), 1, "the requester never reads a note");
    assert!(theirs.messages.iter().all(|m| !m.internal));
    assert!(
        theirs.timeline.len() < staff.timeline.len(),
        "the note is not in the requester's story either"
    );
    assert_eq!(
        (theirs.category, theirs.equipment, theirs.calendar),
        (None, None, None)
    );
    // Someone else's ticket is refused, as when read alone; nor may they follow its changes.
    assert_eq!(
        domain(tickets.in_full(&boris, id).await.unwrap_err()),
        DomainError::CannotViewTicket
    );
    assert_eq!(
        domain(tickets.changes(&boris, id).await.err().unwrap()),
        DomainError::CannotViewTicket
    );
    assert!(tickets.changes(&anna, id).await.is_ok());
}

#[tokio::test]
async fn a_reopened_duplicate_is_its_own_ticket_again_with_the_reason_in_its_thread() {
    let desk = Desk::new().await;
    let anna = desk.person("anna", Role::User).await;
    let boris = desk.person("boris", Role::User).await;
    let agent = desk.person("agent_one", Role::Agent).await;
    let tickets = desk.service.tickets();
    let kept = desk.file(&anna, "Проектор").await.unwrap();
    let dup = desk.file(&boris, "Проектор в 214").await.unwrap();
    tickets
        .merge(&agent, dup, kept, &desk.client)
        .await
        .unwrap();
    // Boris follows the kept ticket now.
    assert!(tickets.get(&boris, kept).await.is_ok());
    let reason = parsed(fixdesk_service::domain::MessageText::parse(
        "Это другой проектор, в 215",
    ));
    let reopened = tickets
        .reopen(&agent, dup, Some(reason), &desk.client)
        .await
        .unwrap();
    assert_eq!(reopened.status, TicketStatus::New);
    assert_eq!(reopened.merged_into_id, None);
    let thread = tickets.messages(&boris, dup).await.unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].message, "Это другой проектор, в 215");
    desk.counters_agree().await;
}
