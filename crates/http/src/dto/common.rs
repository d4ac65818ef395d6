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
