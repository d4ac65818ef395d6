//! `/`: the contract's welcome message; a browser (asking for HTML) is sent to the web
//! interface instead, when there is one.

use poem::{
    IntoResponse, Request, Response, handler,
    http::header,
    web::{Data, Json, Redirect},
};
use serde_json::json;

/// Whether the web interface is served beside the API.
#[derive(Debug, Clone, Copy)]
pub struct HasUi(pub bool);

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
