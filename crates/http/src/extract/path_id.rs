//! Integer ids in paths. Parsed in the handler rather than by the router, so the 422 names the
//! parameter as the contract does (`["path", "user_id"]`) and quotes the rejected input.

use serde_json::Value;

use crate::{error::ApiError, validation_item::ValidationItem};

pub fn path_id(name: &'static str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| {
        ApiError::Validation(vec![ValidationItem::new(
            "int_parsing",
            vec!["path".into(), name.into()],
            "Input should be a valid integer, unable to parse string as an integer",
            Value::String(raw.to_string()),
        )])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integers_and_names_bad_input() {
        assert!(matches!(path_id("user_id", "42"), Ok(42)));
        match path_id("user_id", "me") {
            Err(ApiError::Validation(items)) => {
                assert_eq!(
                    items[0].loc,
                    vec![Value::from("path"), Value::from("user_id")]
                );
                assert_eq!(items[0].input, Value::from("me"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
