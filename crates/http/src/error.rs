//! The one place where errors become HTTP. Every failure — a use case's, a parse error of
//! poem-openapi's, an unknown path — is answered as `{"detail": …}` with the contract's status
//! code. A 500 is logged with its cause chain and answered with a generic message.

use fixdesk_edge::{detail, detail_retry_after, internal, retry_after, status_of};
use fixdesk_usecases::ServiceError;
use fixdesk_usecases::domain::DomainError;
use poem::{
    Response,
    error::{MethodNotAllowedError, NotFoundError, ReadBodyError},
    http::{HeaderValue, StatusCode, header},
};
use poem_openapi::error::{AuthorizationError, ContentTypeError, ParseParamError, ParsePathError};
use serde_json::Value;

use crate::validation_item::ValidationItem;

/// An error raised by this crate's handlers.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// Request validation failed: the pydantic-style 422 list.
    #[error("request validation failed")]
    Validation(Vec<ValidationItem>),
    /// The request itself could not be read (a broken multipart body, say).
    #[error(transparent)]
    Request(poem::Error),
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
            ApiError::Request(e) => error_response(e),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

fn validation_response(items: &[ValidationItem]) -> Response {
    let list: Vec<Value> = items.iter().map(ValidationItem::to_json).collect();
    detail(StatusCode::UNPROCESSABLE_ENTITY, Value::Array(list))
}

fn with_bearer_challenge(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

/// A use case's error as the contract answers it: the status every transport uses, a 422 as
/// the pydantic-style list, a 401 with its challenge, `Retry-After` where it applies.
fn service_response(e: &ServiceError) -> Response {
    if let ServiceError::Domain(DomainError::Invalid(fields)) = e {
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
        return validation_response(&items);
    }
    let status = status_of(e);
    if status.is_server_error() && retry_after(e).is_none() {
        return internal(e);
    }
    let r = match retry_after(e) {
        Some(seconds) => detail_retry_after(status, &e.to_string(), seconds),
        None => detail(status, e.to_string()),
    };
    if status == StatusCode::UNAUTHORIZED {
        with_bearer_challenge(r)
    } else {
        r
    }
}

/// Turns any error that reached the edge into the response the contract prescribes.
pub fn error_response(err: &poem::Error) -> Response {
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
        return internal(err);
    }
    detail(status, err.to_string())
}

/// Documents the error responses of every operation in the OpenAPI description, as they are
/// answered: a 422 lists every bad field (the shared `HTTPValidationError` schema), every
/// other 4xx and 5xx is `{"detail": "…"}`, and 429/503 carry `Retry-After`.
impl poem_openapi::ApiResponse for ApiError {
    fn meta() -> poem_openapi::registry::MetaResponses {
        use poem_openapi::{
            registry::{MetaHeader, MetaMediaType, MetaResponse, MetaSchemaRef},
            types::Type,
        };
        let json = |schema: MetaSchemaRef| {
            vec![MetaMediaType {
                content_type: "application/json",
                schema,
            }]
        };
        let retry_after = || MetaHeader {
            name: "Retry-After".into(),
            description: Some("Seconds after which the request may be tried again".into()),
            required: false,
            deprecated: false,
            schema: u64::schema_ref(),
        };
        poem_openapi::registry::MetaResponses {
            responses: vec![
                MetaResponse {
                    description: "The request is malformed: every bad field with where it is and why",
                    status: Some(422),
                    status_range: None,
                    content: json(MetaSchemaRef::Reference(
                        crate::dto::common::VALIDATION_ERROR.into(),
                    )),
                    headers: vec![],
                },
                MetaResponse {
                    description: "`{\"detail\": \"…\"}`: bad request, not authenticated, forbidden, not found, conflict, too large, unsupported type, or too many requests (429, with `Retry-After`)",
                    status: None,
                    status_range: Some("4XX".into()),
                    content: json(crate::dto::common::DetailOut::schema_ref()),
                    headers: vec![retry_after()],
                },
                MetaResponse {
                    description: "`{\"detail\": \"…\"}`: overloaded or storage unavailable (503, with `Retry-After`), or an internal error",
                    status: None,
                    status_range: Some("5XX".into()),
                    content: json(crate::dto::common::DetailOut::schema_ref()),
                    headers: vec![retry_after()],
                },
            ],
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        use poem_openapi::types::Type;
        crate::dto::common::DetailOut::register(registry);
        crate::dto::common::validation_error_schema(registry);
    }
}
