//! Reading form and query fields: blank means "not given", and a value the page itself would
//! never send is a malformed request, not a server error.

use std::str::FromStr;

use fixdesk_usecases::{
    ServiceError,
    domain::{DomainError, FieldError},
};

use crate::WebError;

/// A field's complaint as the service's error, to be shown like the service's own.
pub fn invalid(e: FieldError) -> ServiceError {
    DomainError::from(e).into()
}

/// Keeps a parsed value, or collects its complaint so a form reports every field at once.
pub fn collect<T>(errors: &mut Vec<FieldError>, parsed: Result<T, FieldError>) -> Option<T> {
    parsed.map_err(|e| errors.push(e)).ok()
}

/// The trimmed value, or `None` when blank.
pub fn given(raw: &str) -> Option<&str> {
    let v = raw.trim();
    (!v.is_empty()).then_some(v)
}

/// Parses an optional field with `FromStr`; blank is `None`.
pub fn parse_opt<T: FromStr>(field: &str, raw: &str) -> Result<Option<T>, WebError> {
    given(raw)
        .map(|v| v.parse().map_err(|_| WebError::BadForm(field.to_string())))
        .transpose()
}

/// The 1-based page number of a list (`1` when absent or malformed).
pub fn page_number(raw: Option<&str>) -> u64 {
    raw.and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// A checkbox: present means on.
pub fn checked(raw: &Option<String>) -> bool {
    raw.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_absent_and_garbage_is_refused() {
        assert_eq!(parse_opt::<i64>("id", " ").ok(), Some(None));
        assert_eq!(parse_opt::<i64>("id", "7").ok(), Some(Some(7)));
        assert!(matches!(
            parse_opt::<i64>("id", "seven"),
            Err(WebError::BadForm(f)) if f == "id"
        ));
        assert_eq!(page_number(Some("0")), 1);
        assert_eq!(page_number(Some("x")), 1);
        assert_eq!(page_number(Some("4")), 4);
    }
}
