//! The desk every use-case test starts from: a fresh database, an admin, people by role.

pub(crate) use fixdesk_service::{
    Fixdesk, Helpdesk, ServiceError, ServiceSettings,
    domain::{
        Actor, ClientInfo, Description, DeskRules, DomainError, FieldError, Language, NewTicket,
        NewUser, Page, Password, PreferencesChange, Priority, Resolution, Role, RoomNumber,
        TicketChanges, TicketFilter, TicketId, TicketQuery, TicketStatus, TimeZone, Title,
        Username,
    },
};
pub(crate) use sea_orm::{ConnectionTrait, Statement};

pub(crate) const ADMIN_PASSWORD: &str = "service-tier-admin";
pub(crate) const PASSWORD: &str = "service-tier-pass";

pub(crate) struct Desk {
    pub(crate) service: Fixdesk,
    pub(crate) admin: Actor,
    pub(crate) client: ClientInfo,
}

pub(crate) fn parsed<T>(r: Result<T, FieldError>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

/// A fresh database: in memory, or of its own on the test PostgreSQL server.
pub(crate) async fn database_url() -> String {
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
    pub(crate) async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// A desk whose settings `adjust` changes first (its rules, its data directory).
    pub(crate) async fn with(adjust: impl FnOnce(&mut ServiceSettings)) -> Self {
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

    pub(crate) async fn person(&self, name: &str, role: Role) -> Actor {
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

    pub(crate) async fn file(&self, by: &Actor, title: &str) -> Result<TicketId, ServiceError> {
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

    pub(crate) async fn count(&self, sql: &str) -> i64 {
        let db = self.service.database().reader();
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// Rows of the tables a change writes to, to compare before and after.
    pub(crate) async fn footprint(&self) -> [i64; 4] {
        [
            self.count("SELECT COUNT(*) FROM tickets").await,
            self.count("SELECT COUNT(*) FROM audit_logs").await,
            self.count("SELECT COUNT(*) FROM ticket_messages").await,
            self.count("SELECT CAST(COALESCE(SUM(tickets), 0) AS BIGINT) FROM stats_tickets")
                .await,
        ]
    }

    pub(crate) async fn counters_agree(&self) {
        let differences = self.service.operator().verify_statistics().await.unwrap();
        assert!(differences.is_empty(), "{differences:?}");
    }
}

pub(crate) async fn sign_in(
    service: &Fixdesk,
    name: &str,
    password: &str,
    client: &ClientInfo,
) -> Actor {
    let token = service.auth().login(name, password, client).await.unwrap();
    service
        .auth()
        .authenticate(&token.access_token)
        .await
        .unwrap()
}

pub(crate) fn domain(e: ServiceError) -> DomainError {
    match e {
        ServiceError::Domain(d) => d,
        other => panic!("expected a rule's refusal, got {other:?}"),
    }
}
