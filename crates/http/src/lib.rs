//! The HTTP transport of fixdesk: `/api/v1`, wire-compatible with the old ticket-system, plus
//! `/`, `/health`, the OpenAPI description and Swagger UI. It calls the service layer and
//! never reaches the database itself.

mod apis;
mod dto;
mod error;
mod extract;
mod live_audit;
mod middleware;
mod system;
mod validation;

use std::sync::Arc;

use fixdesk_usecases::Helpdesk;
use poem::{Endpoint, EndpointExt, Route, endpoint::BoxEndpoint};
use poem_openapi::OpenApiService;

pub use error::error_response;
pub use middleware::cors::CorsPolicy;

/// The use cases every handler calls, shared by all requests.
pub type Service = Arc<dyn Helpdesk>;

/// Transport settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Reported by `/health` (`development`, `staging`, `production`).
    pub environment: String,
    /// Which other origins may call the server from a browser.
    pub cors: CorsPolicy,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Requests handled at once; beyond that, a request waits at most `queue_wait` for a place
    /// and is then answered 503.
    pub max_in_flight: usize,
    pub queue_wait: std::time::Duration,
    /// Requests per minute per client address and per bearer token.
    pub rate_limit_per_minute: u64,
    /// Proxies whose `X-Forwarded-For` is believed (for rate limits and the audit log).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// When set, `/metrics` answers whoever presents it as a bearer token; otherwise only
    /// loopback clients.
    pub metrics_token: Option<String>,
    /// The longest a request may take to be read and answered (408 beyond); requests with
    /// files get `upload_timeout`.
    pub request_timeout: std::time::Duration,
    pub upload_timeout: std::time::Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            environment: "development".into(),
            cors: CorsPolicy::SameOrigin,
            max_body_bytes: 1024 * 1024,
            max_in_flight: 1024,
            queue_wait: std::time::Duration::from_millis(100),
            rate_limit_per_minute: 600,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            request_timeout: std::time::Duration::from_secs(30),
            upload_timeout: std::time::Duration::from_secs(300),
        }
    }
}

const API_VERSION: &str = "1.0.0";

/// The whole HTTP application for `service`. `ui`, when given, is served under `/ui` behind
/// the same backpressure, rate limits, compression and metrics as the API (but none of the
/// API's own conventions: its pages answer in HTML), and browsers asking for `/` go there.
pub fn endpoint(
    service: Service,
    config: HttpConfig,
    ui: Option<BoxEndpoint<'static>>,
) -> Result<impl Endpoint, prometheus::Error> {
    let metrics = middleware::metrics::Metrics::new(config.metrics_token.clone())?;
    let api = OpenApiService::new(
        (
            apis::AuthApi,
            apis::UsersApi,
            apis::TicketsApi,
            apis::AsyncTicketsApi,
            apis::CategoriesApi,
            apis::EquipmentApi,
            apis::StatisticsApi,
            apis::AuditApi,
            apis::NotificationsApi,
            apis::AttachmentsApi,
            apis::ExportsApi,
        ),
        "fixdesk",
        API_VERSION,
    )
    .description("Equipment-repair helpdesk. Wire-compatible with the ticket-system `/api/v1`.")
    .server("/api/v1");
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    let has_ui = ui.is_some();
    let api = Route::new()
        .nest("/api/v1", api)
        .at("/api/v1/openapi.json", spec)
        .at("/api/v1/audit-logs/ws", poem::get(live_audit::audit_ws))
        .at(
            "/api/v1/attachments/download/:attachment_id",
            poem::get(apis::download_attachment),
        )
        .at(
            "/api/v1/exports/:export_id/download",
            poem::get(apis::download_export),
        )
        .nest("/docs", docs)
        .at("/", poem::get(system::root).data(system::HasUi(has_ui)))
        .at("/health", poem::get(system::health))
        .at("/ready", poem::get(system::ready))
        .with(middleware::plain_query::PlainQuery)
        .with(middleware::slash::SlashPolicy)
        // Errors become responses here, so the layers outside see and decorate them too.
        .catch_all_error(|e| async move { error_response(e) })
        .with(middleware::denials::AuditDenials)
        .with(middleware::cache_control::NoStore);
    let app = match ui {
        Some(ui) => Route::new().nest("/ui", ui).nest("/", api),
        None => Route::new().nest("/", api),
    };
    let app = app
        .with(middleware::deadline::Deadline {
            normal: config.request_timeout,
            upload: config.upload_timeout,
        })
        .with(middleware::compress::CompressLarge)
        .with(middleware::backpressure::Backpressure::new(
            config.max_in_flight,
            config.queue_wait,
        ))
        .with(middleware::rate_limit::RateLimit::new(
            config.rate_limit_per_minute,
            config.trusted_proxies.clone(),
        ))
        .with(metrics)
        // Who the client is, worked out once for every handler (and the web pages) to read.
        .around(|ep, mut req| async move {
            let client = extract::client_info(&req);
            req.extensions_mut().insert(client);
            ep.call(req).await
        })
        .with(middleware::cors::CrossOrigin(config.cors.clone()))
        .data(service)
        .data(config)
        // What the CORS layer itself refuses.
        .catch_all_error(|e| async move { error_response(e) })
        .with(middleware::security_headers::SecurityHeaders);
    Ok(app)
}
