//! `/` and `/health`, outside `/api/v1`.

use poem::{
    handler,
    web::{Data, Json},
};
use serde_json::{Value, json};

use crate::{API_VERSION, HttpConfig, Service};

#[handler]
pub async fn root() -> Json<Value> {
    Json(json!({ "message": "Добро пожаловать в систему заявок на ремонт техники" }))
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
