//! The HTTP transport of fixdesk: `/api/v1`, wire-compatible with the old ticket-system, plus
//! `/`, the OpenAPI description and Swagger UI. It calls the use cases and never reaches the
//! database itself; what every transport shares (limits, metrics, CORS, probes) is the edge's.

mod apis;
mod dto;
mod error;
mod extract;
mod live_audit;
mod middleware;
mod root;
mod validation;
mod validation_item;
mod written;

use poem::{Endpoint, EndpointExt, Route};
use poem_openapi::OpenApiService;

pub use error::error_response;
pub use fixdesk_edge::Service;

/// The route template of a path the API serves, for metrics (`/api/v1/tickets/{}`, `/docs`,
/// `/`); `None` for paths it does not serve.
pub fn route_label(path: &str) -> Option<&'static str> {
    match path {
        "/" => Some("/"),
        p if p.starts_with("/docs") => Some("/docs"),
        p if p.starts_with("/api/") => Some(middleware::slash::route_of(p).unwrap_or("other")),
        _ => None,
    }
}

/// Transport settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Whether the web interface is served beside the API (a browser opening `/` goes there).
    pub has_ui: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            has_ui: false,
        }
    }
}

/// The version the API (and `/health`) reports, as the old service did.
pub const API_VERSION: &str = "1.0.0";

/// The API for `service`: `/api/v1`, `/docs` and `/`, with the old API's conventions (exact
/// slashes, `{"detail": …}` errors, 403s audited, nothing cached).
pub fn api(service: Service, config: HttpConfig) -> impl Endpoint {
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
            apis::ServiceLevelsApi,
            apis::AssignmentApi,
            apis::CannedRepliesApi,
            apis::PreventiveApi,
            // Tuples hold at most 16 APIs: the newest ones go in one of their own.
            (apis::SearchApi, apis::MailApi, apis::BackupsApi),
        ),
        "fixdesk",
        API_VERSION,
    )
    .description("Equipment-repair helpdesk. Wire-compatible with the ticket-system `/api/v1`.")
    .server("/api/v1");
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    let has_ui = root::HasUi(config.has_ui);
    Route::new()
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
        .at("/", poem::get(root::root).data(has_ui))
        .with(middleware::plain_query::PlainQuery)
        .with(middleware::slash::SlashPolicy)
        // Errors become responses here, so the layers outside see and decorate them too.
        .catch_all_error(|e| async move { error_response(&e) })
        .with(middleware::denials::AuditDenials)
        .with(middleware::cache_control::NoStore)
        .data(service)
        .data(config)
}
