//! Small shapes shared by several APIs, and the serde helper for "key present" semantics.

use fixdesk_usecases::domain::{FieldError, Patch};
use poem_openapi::Object;
use serde::{Deserialize, Deserializer};

#[derive(Debug, Object)]
pub struct MessageOut {
    pub message: String,
}

#[derive(Debug, Object)]
pub struct DetailOut {
    pub detail: String,
}

/// One bad field of a 422, in the shape the old API's (pydantic's) clients read.
#[derive(Debug, Object)]
#[oai(rename = "ValidationError")]
pub struct ValidationErrorOut {
    /// What is wrong (`missing`, `string_too_short`, `string_control_characters`, …).
    #[oai(rename = "type")]
    pub kind: String,
    /// Where: `body`, `query` or `path`, then the field's name (or an index).
    pub loc: Vec<serde_json::Value>,
    pub msg: String,
    /// The value that was refused.
    pub input: serde_json::Value,
}

/// The schema of a 422 (`HTTPValidationError`): `detail` lists every bad field, or — for the
/// two refusals the old API worded as one sentence (equipment without a type, maintenance
/// without a kind) — is that sentence.
pub fn validation_error_schema(
    registry: &mut poem_openapi::registry::Registry,
) -> poem_openapi::registry::MetaSchemaRef {
    use poem_openapi::{
        registry::{MetaSchema, MetaSchemaRef},
        types::Type,
    };
    ValidationErrorOut::register(registry);
    let list = MetaSchemaRef::Inline(Box::new(MetaSchema {
        items: Some(Box::new(ValidationErrorOut::schema_ref())),
        ..MetaSchema::new("array")
    }));
    let detail = MetaSchemaRef::Inline(Box::new(MetaSchema {
        any_of: vec![String::schema_ref(), list],
        ..MetaSchema::ANY
    }));
    registry
        .schemas
        .entry(VALIDATION_ERROR.to_string())
        .or_insert(MetaSchema {
            properties: vec![("detail", detail)],
            required: vec!["detail"],
            ..MetaSchema::new("object")
        });
    MetaSchemaRef::Reference(VALIDATION_ERROR.to_string())
}

/// The name of the 422 schema in the OpenAPI description.
pub const VALIDATION_ERROR: &str = "HTTPValidationError";

/// Distinguishes a key that is absent (`None`) from one that is `null` (`Some(None)`); use
/// with `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A key that may be absent but, when present, must not be null.
pub fn required<T>(field: &'static str, v: Option<Option<T>>) -> Result<Option<T>, FieldError> {
    match v {
        None => Ok(None),
        Some(Some(v)) => Ok(Some(v)),
        Some(None) => Err(FieldError::new(field, "missing", "Field may not be null")),
    }
}

/// A key that may be absent, null (clear) or a value.
pub fn patch<T>(v: Option<Option<T>>) -> Patch<T> {
    match v {
        None => Patch::Absent,
        Some(None) => Patch::Null,
        Some(Some(v)) => Patch::Value(v),
    }
}
