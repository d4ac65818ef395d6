//! The one place where errors become HTTP. Every failure — a use case's, a parse error of
//! poem-openapi's, an unknown path — is answered as `{"detail": …}` with the contract's status
//! code. A 500 is logged with its cause chain and answered with a generic message.

use fixdesk_usecases::ServiceError;
use fixdesk_usecases::domain::{DomainError, ErrorKind};
use poem::{
    Response,
    error::{MethodNotAllowedError, NotFoundError, ReadBodyError},
    http::{HeaderValue, StatusCode, header},
};
use poem_openapi::error::{AuthorizationError, ContentTypeError, ParseParamError, ParsePathError};
use serde_json::{Value, json};

use crate::validation::ValidationItem;

/// An error raised by this crate's handlers.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// Request validation failed: the pydantic-style 422 list.
    #[error("request validation failed")]
    Validation(Vec<ValidationItem>),
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::Service(e.into())
    }
}

impl poem::error::ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        StatusCode::UNPROCESSABLE_ENTITY
    }

    fn as_response(&self) -> Response {
        match self {
            ApiError::Validation(items) => validation_response(items),
            ApiError::Service(e) => service_response(e),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

pub(crate) fn detail(status: StatusCode, detail: impl Into<Value>) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(json!({ "detail": detail.into() }).to_string())
}

fn validation_response(items: &[ValidationItem]) -> Response {
    let list: Vec<Value> = items.iter().map(ValidationItem::to_json).collect();
    detail(StatusCode::UNPROCESSABLE_ENTITY, Value::Array(list))
}

fn with_bearer_challenge(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
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

fn service_response(e: &ServiceError) -> Response {
    match e {
        ServiceError::Domain(DomainError::Invalid(fields)) => {
            let items: Vec<ValidationItem> = fields
                .iter()
                .map(|f| {
                    ValidationItem::new(
                        f.kind,
                        vec!["body".into(), f.field.into()],
                        &f.message,
                        Value::Null,
                    )
                })
                .collect();
            validation_response(&items)
        }
        ServiceError::Domain(d) => detail(domain_status(d), d.to_string()),
        ServiceError::NotAuthenticated
        | ServiceError::InvalidToken
        | ServiceError::BadCredentials => {
            with_bearer_challenge(detail(StatusCode::UNAUTHORIZED, e.to_string()))
        }
        ServiceError::InactiveUser => detail(StatusCode::BAD_REQUEST, e.to_string()),
        ServiceError::TooManyAttempts { retry_after_secs } => {
            let mut r = detail(StatusCode::TOO_MANY_REQUESTS, e.to_string());
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            r
        }
        ServiceError::Overloaded { retry_after_secs }
        | ServiceError::Unavailable { retry_after_secs } => {
            let mut r = detail(StatusCode::SERVICE_UNAVAILABLE, e.to_string());
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            r
        }
        ServiceError::Internal(_) => internal(e),
    }
}

fn internal(e: &(dyn std::error::Error + 'static)) -> Response {
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

/// Turns any error that reached the edge into the response the contract prescribes.
pub fn error_response(err: poem::Error) -> Response {
    if let Some(e) = err.downcast_ref::<ApiError>() {
        return poem::error::ResponseError::as_response(e);
    }
    if let Some(e) = err.downcast_ref::<ServiceError>() {
        return service_response(e);
    }
    if err.is::<NotFoundError>() {
        return detail(StatusCode::NOT_FOUND, "Not Found");
    }
    if err.is::<MethodNotAllowedError>() {
        return detail(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
    }
    if err.is::<AuthorizationError>() {
        return with_bearer_challenge(detail(StatusCode::UNAUTHORIZED, "Not authenticated"));
    }
    if let Some(e) = err.downcast_ref::<ParsePathError>() {
        let item = ValidationItem::new(
            "value_error",
            vec!["path".into(), e.name.into()],
            &e.reason,
            Value::Null,
        );
        return validation_response(&[item]);
    }
    if let Some(e) = err.downcast_ref::<ParseParamError>() {
        let item = ValidationItem::new(
            "value_error",
            vec!["query".into(), e.name.into()],
            &e.reason,
            Value::Null,
        );
        return validation_response(&[item]);
    }
    if err.is::<ContentTypeError>() {
        return detail(StatusCode::UNSUPPORTED_MEDIA_TYPE, err.to_string());
    }
    if let Some(ReadBodyError::PayloadTooLarge) = err.downcast_ref::<ReadBodyError>() {
        return detail(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large");
    }
    let status = err.status();
    if status.is_server_error() {
        return internal(&err);
    }
    detail(status, err.to_string())
}

/// Documents the error responses of every operation in the OpenAPI description.
impl poem_openapi::ApiResponse for ApiError {
    fn meta() -> poem_openapi::registry::MetaResponses {
        use poem_openapi::{
            registry::{MetaMediaType, MetaResponse},
            types::Type,
        };
        let content = || {
            vec![MetaMediaType {
                content_type: "application/json",
                schema: crate::dto::common::DetailOut::schema_ref(),
            }]
        };
        poem_openapi::registry::MetaResponses {
            responses: vec![
                MetaResponse {
                    description: "`{\"detail\": \"…\"}`: bad request, not authenticated, forbidden or not found",
                    status: None,
                    status_range: Some("4XX".into()),
                    content: content(),
                    headers: vec![],
                },
                MetaResponse {
                    description: "`{\"detail\": \"…\"}`: overloaded (with `Retry-After`) or internal error",
                    status: None,
                    status_range: Some("5XX".into()),
                    content: content(),
                    headers: vec![],
                },
            ],
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        <crate::dto::common::DetailOut as poem_openapi::types::Type>::register(registry);
    }
}
