//! Request validation in the shape the old API's clients read: a 422 whose `detail` is a list
//! of `{type, loc, msg, input}`, with the real field names in `loc`.

use fixdesk_usecases::domain::FieldError;
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::validation_item::ValidationItem;

/// A refusal of `text` at `loc` if it holds a control character.
pub fn control_character(loc: Vec<Value>, text: &str) -> Option<ValidationItem> {
    use fixdesk_usecases::domain::text;
    text::forbidden_character(text).map(|c| {
        ValidationItem::new(
            text::CONTROL_CHARACTERS,
            loc,
            &text::forbidden_message(c),
            Value::String(text.to_string()),
        )
    })
}

/// Refusals of every string in `value` (object keys included) that holds a control
/// character, each located by its path below `path`: no field of any body may carry one.
pub fn control_characters(value: &Value, path: &mut Vec<Value>, out: &mut Vec<ValidationItem>) {
    match value {
        Value::String(s) => out.extend(control_character(path.clone(), s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.into());
                control_characters(item, path, out);
                path.pop();
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                path.push(key.as_str().into());
                out.extend(control_character(path.clone(), key));
                control_characters(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Collects field errors while a request body is turned into domain values, so a client
/// hears about every bad field at once.
#[derive(Debug, Default)]
pub struct Checker {
    items: Vec<ValidationItem>,
}

impl Checker {
    /// Keeps the parsed value, or records the error against `body.<field>` with `input`.
    pub fn check<T>(&mut self, input: &impl Serialize, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                let input = serde_json::to_value(input).unwrap_or(Value::Null);
                self.items.push(ValidationItem::new(
                    e.kind,
                    vec!["body".into(), e.field.into()],
                    &e.message,
                    input,
                ));
                None
            }
        }
    }

    /// `Ok(value)` when nothing was recorded; otherwise the 422.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, ApiError> {
        if !self.items.is_empty() {
            return Err(ApiError::Validation(self.items));
        }
        value().ok_or_else(|| ApiError::Validation(Vec::new()))
    }
}

/// Translates a serde error at `path` inside `body` into the matching pydantic error.
pub fn from_serde(
    body: &Value,
    path: &serde_path_to_error::Path,
    err: &serde_json::Error,
) -> ValidationItem {
    let mut loc: Vec<Value> = vec!["body".into()];
    let mut input = body.clone();
    for seg in path.iter() {
        match seg {
            serde_path_to_error::Segment::Map { key } => {
                input = input.get(key).cloned().unwrap_or(Value::Null);
                loc.push(key.clone().into());
            }
            serde_path_to_error::Segment::Seq { index } => {
                input = input.get(index).cloned().unwrap_or(Value::Null);
                loc.push((*index).into());
            }
            _ => {}
        }
    }
    let text = err.to_string();
    if let Some(field) = text
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        loc.push(field.into());
        return ValidationItem::missing(loc, input);
    }
    let (kind, msg) = if text.contains("expected a string") {
        ("string_type", "Input should be a valid string")
    } else if text.contains("expected a boolean") {
        ("bool_type", "Input should be a valid boolean")
    } else if text.contains("expected i64")
        || text.contains("expected u64")
        || text.contains("expected i32")
    {
        ("int_type", "Input should be a valid integer")
    } else if text.contains("expected struct") || text.contains("expected a map") {
        (
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
        )
    } else {
        ("value_error", text.as_str())
    };
    ValidationItem::new(kind, loc, msg, input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        age: Option<i64>,
    }

    fn first_error(v: Value) -> ValidationItem {
        match serde_path_to_error::deserialize::<_, Body>(v.clone()) {
            Ok(_) => panic!("expected an error"),
            Err(e) => from_serde(&v, e.path(), e.inner()),
        }
    }

    #[test]
    fn missing_field_names_the_field() {
        let e = first_error(json!({"age": 3}));
        assert_eq!(e.kind, "missing");
        assert_eq!(e.loc, vec![json!("body"), json!("name")]);
        assert_eq!(e.msg, "Field required");
    }

    #[test]
    fn wrong_types_are_classified() {
        let e = first_error(json!({"name": 5}));
        assert_eq!(
            (e.kind.as_str(), e.loc.clone(), e.input.clone()),
            ("string_type", vec![json!("body"), json!("name")], json!(5))
        );
        let e = first_error(json!({"name": "x", "age": "old"}));
        assert_eq!(e.kind, "int_type");
    }
}
