//! `/` and `/health`, outside `/api/v1`.

use poem::{
    IntoResponse, Request, Response, handler,
    http::header,
    web::{Data, Json, Redirect},
};
use serde_json::{Value, json};

use crate::{API_VERSION, HttpConfig, Service};

/// Whether the web interface is served beside the API.
#[derive(Debug, Clone, Copy)]
pub struct HasUi(pub bool);

/// The contract's welcome message; a browser (asking for HTML) is sent to the web interface
/// instead, when there is one.
#[handler]
pub async fn root(req: &Request, has_ui: Data<&HasUi>) -> Response {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if has_ui.0.0 && wants_html {
        return Redirect::see_other("/ui/").into_response();
    }
    Json(json!({ "message": "Добро пожаловать в систему заявок на ремонт техники" }))
        .into_response()
}

/// Liveness, plus whether the database answers. No machine metrics (the old public health
/// endpoint leaked CPU, memory and disk figures).
#[handler]
pub async fn health(service: Data<&Service>, config: Data<&HttpConfig>) -> Json<Value> {
    let database = if service.healthy().await {
        "ok"
    } else {
        "unavailable"
    };
    Json(json!({
        "status": if database == "ok" { "ok" } else { "degraded" },
        "version": API_VERSION,
        "environment": config.environment,
        "database": database,
    }))
}

/// Readiness: 200 when the database answers and its schema is current, 503 otherwise (a load
/// balancer should send no traffic here yet).
#[handler]
pub async fn ready(service: Data<&Service>) -> poem::Response {
    let (ok, detail) = match service.readiness().await {
        Ok(()) => (true, "ready".to_string()),
        Err(reason) => (false, reason.to_string()),
    };
    let status = if ok {
        poem::http::StatusCode::OK
    } else {
        poem::http::StatusCode::SERVICE_UNAVAILABLE
    };
    poem::Response::builder()
        .status(status)
        .content_type("application/json")
        .body(
            json!({ "status": if ok { "ready" } else { "not ready" }, "detail": detail })
                .to_string(),
        )
}
