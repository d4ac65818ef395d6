//! One complaint of a 422 answer, in the shape the old API's clients read:
//! `{type, loc, msg, input}`, with the real field names in `loc`.

use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct ValidationItem {
    pub kind: String,
    pub loc: Vec<Value>,
    pub msg: String,
    pub input: Value,
}

impl ValidationItem {
    pub fn new(kind: &str, loc: Vec<Value>, msg: &str, input: Value) -> Self {
        Self {
            kind: kind.to_string(),
            loc,
            msg: msg.to_string(),
            input,
        }
    }

    pub fn missing(loc: Vec<Value>, input: Value) -> Self {
        Self::new("missing", loc, "Field required", input)
    }

    pub fn to_json(&self) -> Value {
        json!({ "type": self.kind, "loc": self.loc, "msg": self.msg, "input": self.input })
    }
}
