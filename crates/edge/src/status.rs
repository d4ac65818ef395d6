//! The one mapping from a use case's error to an HTTP status, for every transport: the API
//! writes it as JSON, the pages as a page, both with the same status and `Retry-After`.
//! Also the `{"detail": …}` answer the edge's own refusals (429, 503, 408, 403) are given.

use fixdesk_usecases::{
    ServiceError,
    domain::{DomainError, ErrorKind},
};
use poem::{
    Response,
    http::{HeaderValue, StatusCode, header},
};

/// The status a use case's error is answered with.
pub fn status_of(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::Domain(d) => domain_status(d),
        ServiceError::NotAuthenticated
        | ServiceError::InvalidToken
        | ServiceError::BadCredentials => StatusCode::UNAUTHORIZED,
        ServiceError::InactiveUser => StatusCode::BAD_REQUEST,
        ServiceError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Overloaded { .. } | ServiceError::Unavailable { .. } => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn domain_status(e: &DomainError) -> StatusCode {
    match e.kind() {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Rejected => StatusCode::BAD_REQUEST,
    }
}

/// Seconds after which the client may try again, for the errors that say so.
pub fn retry_after(e: &ServiceError) -> Option<u64> {
    match e {
        ServiceError::TooManyAttempts { retry_after_secs }
        | ServiceError::Overloaded { retry_after_secs }
        | ServiceError::Unavailable { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    }
}

/// `{"detail": detail}` with `status`.
pub fn detail(status: StatusCode, detail: impl Into<serde_json::Value>) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(serde_json::json!({ "detail": detail.into() }).to_string())
}

/// [`detail`] with `Retry-After`.
pub fn detail_retry_after(status: StatusCode, text: &str, seconds: u64) -> Response {
    let mut r = detail(status, text);
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    r
}

/// A handler that panicked: the same answer as any other failure, so a bug never drops the
/// connection without one (the panic itself is printed by the runtime's hook).
pub(crate) fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("request failed: a handler panicked");
    detail(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Внутренняя ошибка сервера",
    )
}

/// A 500, logged with its cause chain and answered with a generic message (never SQL or a
/// trace).
pub fn internal(e: &(dyn std::error::Error + 'static)) -> Response {
    let mut chain = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    tracing::error!(error = %chain, "request failed");
    detail(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Внутренняя ошибка сервера",
    )
}

/// An error no transport turned into a response (one of the edge's own layers refused):
/// `{"detail": …}` with its status, a 500 hidden.
pub fn error_response(err: poem::Error) -> Response {
    if let Some(e) = err.downcast_ref::<ServiceError>() {
        return match retry_after(e) {
            Some(s) => detail_retry_after(status_of(e), &e.to_string(), s),
            None if status_of(e).is_server_error() => internal(e),
            None => detail(status_of(e), e.to_string()),
        };
    }
    let status = err.status();
    if status.is_server_error() {
        return internal(&err);
    }
    detail(status, err.to_string())
}
