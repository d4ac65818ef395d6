//! The probes: `/health` (liveness, and whether the database answers) and `/ready` (whether
//! this instance should take traffic). With `/metrics`, they are answered whatever the load:
//! no limit, queue or timer applies to them.

use poem::{
    IntoResponse, handler,
    http::{StatusCode, header},
    web::{Data, Json, WithHeader},
};
use serde_json::{Value, json};

use crate::{EdgeConfig, Service};

/// Whether `path` is a probe, which the edge's limits and timers leave alone.
pub fn is_probe(path: &str) -> bool {
    matches!(path, "/health" | "/ready" | "/metrics")
}

/// Liveness, plus whether the database answers. No machine metrics (the old public health
/// endpoint leaked CPU, memory and disk figures).
#[handler]
pub async fn health(service: Data<&Service>, config: Data<&EdgeConfig>) -> WithHeader<Json<Value>> {
    let database = if service.healthy().await {
        "ok"
    } else {
        "unavailable"
    };
    Json(json!({
        "status": if database == "ok" { "ok" } else { "degraded" },
        "version": config.version,
        "environment": config.environment,
        "database": database,
    }))
    .with_header(header::CACHE_CONTROL, NO_STORE)
}

/// A probe's answer is about this moment: never cached.
const NO_STORE: &str = "private, no-store";

/// Readiness: 200 when the database answers and its schema is current, 503 otherwise (a load
/// balancer should send no traffic here yet). Where the desk backs itself up, the answer also
/// says when its last backup succeeded and failed (a failing backup does not make an instance
/// unready: it still serves; monitoring reads `backup.failing`). No error text: the probe is
/// unauthenticated, the admins' page says why.
#[handler]
pub async fn ready(service: Data<&Service>) -> poem::Response {
    let (ok, detail) = match service.readiness().await {
        Ok(()) => (true, "ready".to_string()),
        Err(reason) => (false, reason.to_string()),
    };
    let backup = service.backups().health().await.map(|b| {
        let at = |r: &Option<fixdesk_usecases::domain::backup::BackupRecord>| {
            r.as_ref()
                .map(|r| r.finished_at.unwrap_or(r.started_at).and_utc().to_rfc3339())
        };
        json!({
            "last_success": at(&b.last_success),
            "last_failure": at(&b.last_failure),
            "failing": b.failing(),
        })
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    poem::Response::builder()
        .status(status)
        .header(header::CACHE_CONTROL, NO_STORE)
        .content_type("application/json")
        .body(
            json!({
                "status": if ok { "ready" } else { "not ready" },
                "detail": detail,
                "backup": backup,
            })
            .to_string(),
        )
}
