//! Shared checks for bounded text fields, so every newtype reports lengths the same way.

use crate::FieldError;

/// Trims `raw` and checks its length in characters lies in `min..=max`.
pub fn bounded(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldError> {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        let msg = if min == 1 {
            "String should have at least 1 character".to_string()
        } else {
            format!("String should have at least {min} characters")
        };
        return Err(FieldError::new(field, "string_too_short", msg));
    }
    if len > max {
        return Err(FieldError::new(
            field,
            "string_too_long",
            format!("String should have at most {max} characters"),
        ));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_counts_characters_not_bytes() {
        assert_eq!(bounded("f", "  ок  ", 1, 2).as_deref(), Ok("ок"));
        assert_eq!(
            bounded("f", "   ", 1, 5).map_err(|e| e.kind),
            Err("string_too_short")
        );
        assert_eq!(
            bounded("f", "абв", 1, 2).map_err(|e| e.kind),
            Err("string_too_long")
        );
    }
}
