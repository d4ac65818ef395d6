//! What every transport of fixdesk shares at the HTTP edge, written once: backpressure, rate
//! limits, the request deadline, compression, metrics, the client's address (behind trusted
//! proxies), CORS, security headers, the probes, and the mapping of a use case's error to a
//! status. The transports (`fixdesk-http`, `fixdesk-web`) build their routes; the composition
//! root puts them behind [`Edge::wrap`].

mod backpressure;
mod client;
mod compress;
mod content_disposition;
mod cors;
mod deadline;
mod metrics;
mod probes;
mod rate_limit;
mod security_headers;
mod status;
mod unread_body;

use std::{sync::Arc, time::Duration};

use fixdesk_usecases::Helpdesk;
use poem::{Endpoint, EndpointExt, Route};

pub use client::{Client, ClientAddress, ClientParts, TrustedProxies, client_of};
pub use content_disposition::{content_disposition, inline_disposition};
pub use cors::{CorsPolicy, cross_origin};
pub use metrics::RouteLabel;
pub use probes::is_probe;
pub use status::{detail, detail_retry_after, internal, retry_after, status_of};

/// The use cases every handler calls, shared by all requests.
pub type Service = Arc<dyn Helpdesk>;

/// The edge's settings.
#[derive(Debug, Clone)]
pub struct EdgeConfig {
    /// Reported by `/health`.
    pub environment: String,
    pub version: &'static str,
    /// Which other origins may call the server from a browser.
    pub cors: CorsPolicy,
    /// Requests handled at once; beyond that, a request waits at most `queue_wait` for a place
    /// and is then answered 503.
    pub max_in_flight: usize,
    pub queue_wait: Duration,
    /// Requests per minute per client address and per bearer token.
    pub rate_limit_per_minute: u64,
    /// Proxies whose `X-Forwarded-For` is believed (for rate limits and the audit log).
    pub trusted_proxies: TrustedProxies,
    /// When set, `/metrics` answers whoever presents it as a bearer token; otherwise only
    /// clients on loopback (the client as worked out behind trusted proxies, so a local
    /// reverse proxy does not open it to everyone).
    pub metrics_token: Option<String>,
    /// The longest a request may take to be read and answered (408 beyond); requests with
    /// files get `upload_timeout`.
    pub request_timeout: Duration,
    pub upload_timeout: Duration,
}

impl Default for EdgeConfig {
    fn default() -> Self {
        Self {
            environment: "development".into(),
            version: env!("CARGO_PKG_VERSION"),
            cors: CorsPolicy::SameOrigin,
            max_in_flight: 1024,
            queue_wait: Duration::from_millis(100),
            rate_limit_per_minute: 600,
            trusted_proxies: TrustedProxies::default(),
            metrics_token: None,
            request_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(300),
        }
    }
}

/// The edge of one server.
pub struct Edge {
    service: Service,
    config: EdgeConfig,
    routes: RouteLabel,
}

impl std::fmt::Debug for Edge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Edge")
            .field("config", &self.config)
            .finish()
    }
}

impl Edge {
    /// `routes` names the route template of a path, for metrics.
    pub fn new(service: Service, config: EdgeConfig, routes: RouteLabel) -> Self {
        Self {
            service,
            config,
            routes,
        }
    }

    /// `app` (the transports' routes) behind the probes and every layer of the edge. From the
    /// outside in: the unread-body watch, a panic answered as a 500, security headers, CORS, client address, metrics, rate limit, backpressure,
    /// compression, deadline — so a refused request is still counted, and a shed one costs
    /// nothing but its refusal.
    pub fn wrap(self, app: impl Endpoint + 'static) -> Result<impl Endpoint, prometheus::Error> {
        let metrics = metrics::Metrics::new(self.config.metrics_token.clone(), self.routes)?;
        let app = Route::new()
            .at("/health", poem::get(probes::health))
            .at("/ready", poem::get(probes::ready))
            .nest("/", app);
        Ok(app
            .with(deadline::Deadline {
                normal: self.config.request_timeout,
                upload: self.config.upload_timeout,
            })
            .with(compress::CompressLarge)
            .with(backpressure::Backpressure::new(
                self.config.max_in_flight,
                self.config.queue_wait,
            ))
            .with(rate_limit::RateLimit::new(
                self.config.rate_limit_per_minute,
                self.service.clone(),
            ))
            .with(metrics)
            .with(ClientAddress::new(&self.config.trusted_proxies))
            .with(cors::CrossOrigin(self.config.cors.clone()))
            .data(self.service)
            .data(self.config)
            // What the layers themselves refuse (CORS) becomes `{"detail": …}`.
            .catch_all_error(|e| async move { status::error_response(e) })
            .with(security_headers::SecurityHeaders)
            .with(poem::middleware::CatchPanic::new().with_handler(status::panicked))
            .with(unread_body::UnreadBody))
    }
}
