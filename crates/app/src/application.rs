//! Building and serving the application.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use fixdesk_edge::{Edge, EdgeConfig};
use fixdesk_http::HttpConfig;
use fixdesk_service::{Fixdesk, SeededAdmin, ServiceError};
use fixdesk_web::WebConfig;
use poem::Route;
use tokio::net::TcpListener;

use crate::{
    Settings, SettingsError,
    connections::{self, ConnectionLimits},
};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("cannot start the service")]
    Service(#[from] ServiceError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("server failed")]
    Serve(#[source] std::io::Error),
}

/// A built application, bound to its port but not yet serving.
pub struct Application {
    service: Fixdesk,
    http: HttpConfig,
    web: WebConfig,
    edge: EdgeConfig,
    listener: TcpListener,
    limits: ConnectionLimits,
    addr: SocketAddr,
    grace: Duration,
    seeded: Option<SeededAdmin>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Connects and migrates the database, seeds the first admin if there is none, and binds
    /// the listener (`127.0.0.1:0` picks a free port).
    pub async fn build(settings: &Settings) -> Result<Self, AppError> {
        settings.validate()?;
        let service = Fixdesk::start(settings.service()).await?;
        let seeded = service
            .ensure_admin(settings.admin_password.as_deref())
            .await?;
        let bind_error = |source| AppError::Bind {
            addr: settings.bind.clone(),
            source,
        };
        let listener = TcpListener::bind(settings.bind.as_str())
            .await
            .map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        Ok(Self {
            service,
            http: settings.http(),
            web: settings.web(),
            edge: settings.edge(),
            limits: settings.connections(),
            listener,
            addr,
            grace: Duration::from_secs(settings.shutdown_grace_secs),
            seeded,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn service(&self) -> &Fixdesk {
        &self.service
    }

    /// The admin account this start created, if the database had none.
    pub fn seeded_admin(&self) -> Option<&SeededAdmin> {
        self.seeded.as_ref()
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish (up to the
    /// grace period) and closes the database.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), AppError> {
        let service: fixdesk_edge::Service = Arc::new(self.service.clone());
        let app = Route::new()
            .nest("/ui", fixdesk_web::routes(service.clone(), self.web))
            .nest("/", fixdesk_http::api(service.clone(), self.http));
        let endpoint = Edge::new(service, self.edge, route_label)
            .wrap(app)
            .map_err(|e| AppError::Serve(std::io::Error::other(e)))?;
        tracing::info!(
            addr = %self.addr,
            database = self.service.database().location(),
            "fixdesk listening"
        );
        connections::serve(self.listener, endpoint, self.limits, shutdown, self.grace)
            .await
            .map_err(AppError::Serve)?;
        self.service.database().clone().close().await;
        tracing::info!("fixdesk stopped");
        Ok(())
    }
}

/// The route a path belongs to, for metrics: as the API or the pages name it.
fn route_label(path: &str) -> Option<&'static str> {
    fixdesk_http::route_label(path).or_else(|| fixdesk_web::route_label(path))
}
