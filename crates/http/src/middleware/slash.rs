//! The old API's trailing-slash rules (Starlette's `redirect_slashes`). poem-openapi serves
//! every operation without a trailing slash, so this layer, in front of routing, knows which
//! form each route is declared in: the declared form is served, its slash-toggled twin gets a
//! 307 to it (method and body kept), anything else falls through to the 404.

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{StatusCode, Uri, header},
};

/// Every `/api/v1` route in its declared form; `{}` is one path segment.
const DECLARED: &[&str] = &[
    "/api/v1/auth/token",
    "/api/v1/auth/logout",
    "/api/v1/users/",
    "/api/v1/users/basic",
    "/api/v1/users/me/",
    "/api/v1/users/me",
    "/api/v1/users/me/change-password",
    "/api/v1/users/{}",
    "/api/v1/tickets/",
    "/api/v1/tickets/categories",
    "/api/v1/tickets/{}",
    "/api/v1/tickets/{}/assign/{}",
    "/api/v1/tickets/{}/status/{}",
    "/api/v1/tickets/{}/assign",
    "/api/v1/tickets/{}/close",
    "/api/v1/tickets/{}/close-with-message",
    "/api/v1/tickets/{}/messages",
    "/api/v1/tickets/{}/messages/count",
    "/api/v1/tickets/{}/timeline",
    "/api/v1/async-tickets/async",
    "/api/v1/async-tickets/async/{}",
    "/api/v1/categories/",
    "/api/v1/categories/{}",
    "/api/v1/equipment/",
    "/api/v1/equipment/categories",
    "/api/v1/equipment/locations",
    "/api/v1/equipment/debug/by-category/{}",
    "/api/v1/equipment/{}",
    "/api/v1/search",
    "/api/v1/search/rebuild",
    "/api/v1/mail/inbound",
    "/api/v1/mail/inbound/{}/raw",
    "/api/v1/mail/inbound/{}",
    "/api/v1/mail/inbound/{}/redeliver",
    "/api/v1/mail/inbound/{}/discard",
    "/api/v1/backups",
    "/api/v1/equipment/{}/maintenance",
    "/api/v1/equipment/{}/history",
    "/api/v1/equipment/{}/tickets",
    "/api/v1/statistics/tickets-summary",
    "/api/v1/statistics/agent-performance",
    "/api/v1/statistics/tickets-by-period",
    "/api/v1/statistics/user-activity",
    "/api/v1/statistics/service-levels",
    "/api/v1/audit-logs/",
    "/api/v1/audit-logs/action-types",
    "/api/v1/audit-logs/{}",
    "/api/v1/audit-logs/ws",
    "/api/v1/notifications/",
    "/api/v1/notifications/unread-count",
    "/api/v1/notifications/mark-read/{}",
    "/api/v1/notifications/mark-all-read",
    "/api/v1/notifications/settings",
    "/api/v1/notifications/send-test",
    "/api/v1/notifications/stream",
    "/api/v1/notifications/{}",
    "/api/v1/attachments/upload/{}",
    "/api/v1/attachments/download/{}",
    "/api/v1/attachments/{}",
    "/api/v1/exports/tickets",
    "/api/v1/exports/{}",
    "/api/v1/exports/{}/download",
    "/api/v1/sla/calendars/",
    "/api/v1/sla/calendars/{}",
    "/api/v1/sla/policies/",
    "/api/v1/sla/policies/{}",
    "/api/v1/sla/check",
    "/api/v1/assignment-rules/",
    "/api/v1/assignment-rules/{}",
    "/api/v1/users/{}/absences",
    "/api/v1/users/{}/absences/{}",
    "/api/v1/tickets/next",
    "/api/v1/canned-replies/",
    "/api/v1/canned-replies/{}",
    "/api/v1/maintenance-schedules/",
    "/api/v1/maintenance-schedules/{}",
    "/api/v1/maintenance-schedules/run",
    "/api/v1/equipment/due-for-service",
    "/api/v1/equipment/reliability",
];

fn matches(pattern: &str, path: &str) -> bool {
    let (mut p, mut s) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), s.next()) {
            (None, None) => return true,
            (Some("{}"), Some(seg)) if !seg.is_empty() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

fn declared(path: &str) -> bool {
    route_of(path).is_some()
}

/// The declared route a path belongs to (its template, `{}` for each parameter); the most
/// specific one when several match.
pub fn route_of(path: &str) -> Option<&'static str> {
    DECLARED
        .iter()
        .filter(|p| matches(p, path))
        .min_by_key(|p| p.matches("{}").count())
        .copied()
}

fn toggled(path: &str) -> String {
    match path.strip_suffix('/') {
        Some(p) => p.to_string(),
        None => format!("{path}/"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Decision {
    /// Serve; with the path poem-openapi routes on, when it differs.
    Serve(Option<String>),
    Redirect(String),
    PassThrough,
}

fn decide(path: &str) -> Decision {
    if !path.starts_with("/api/v1/") {
        return Decision::PassThrough;
    }
    if declared(path) {
        let routed = path.strip_suffix('/').map(str::to_string);
        return Decision::Serve(routed);
    }
    let twin = toggled(path);
    if declared(&twin) {
        return Decision::Redirect(twin);
    }
    Decision::PassThrough
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SlashPolicy;

impl<E: Endpoint> Middleware<E> for SlashPolicy {
    type Output = SlashPolicyEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        SlashPolicyEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct SlashPolicyEndpoint<E>(E);

impl<E: Endpoint> Endpoint for SlashPolicyEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        let query = req
            .uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        match decide(req.uri().path()) {
            Decision::Redirect(to) => {
                let host = req
                    .headers()
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("localhost");
                let location = format!("http://{host}{to}{query}");
                Ok(Response::builder()
                    .status(StatusCode::TEMPORARY_REDIRECT)
                    .header(header::LOCATION, location)
                    .finish())
            }
            Decision::Serve(Some(routed)) => {
                let uri: Uri = format!("{routed}{query}")
                    .parse()
                    .map_err(poem::error::BadRequest)?;
                *req.uri_mut() = uri;
                self.0.call(req).await.map(IntoResponse::into_response)
            }
            Decision::Serve(None) | Decision::PassThrough => {
                self.0.call(req).await.map(IntoResponse::into_response)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collections_are_declared_with_a_slash() {
        assert_eq!(
            decide("/api/v1/users/"),
            Decision::Serve(Some("/api/v1/users".into()))
        );
        assert_eq!(
            decide("/api/v1/users"),
            Decision::Redirect("/api/v1/users/".into())
        );
    }

    #[test]
    fn items_are_declared_without_one() {
        assert_eq!(decide("/api/v1/users/7"), Decision::Serve(None));
        assert_eq!(
            decide("/api/v1/users/7/"),
            Decision::Redirect("/api/v1/users/7".into())
        );
        assert_eq!(
            decide("/api/v1/auth/token/"),
            Decision::Redirect("/api/v1/auth/token".into())
        );
    }

    #[test]
    fn profile_is_served_both_ways_and_unknown_paths_fall_through() {
        assert_eq!(
            decide("/api/v1/users/me/"),
            Decision::Serve(Some("/api/v1/users/me".into()))
        );
        assert_eq!(decide("/api/v1/users/me"), Decision::Serve(None));
        assert_eq!(decide("/api/v1/nothing"), Decision::PassThrough);
        assert_eq!(decide("/health"), Decision::PassThrough);
    }
}
