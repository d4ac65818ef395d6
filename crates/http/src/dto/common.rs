//! Small shapes shared by several APIs, and the serde helper for "key present" semantics.

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
