//! Ticket categories. Their names double as equipment types, as in the old service.

use chrono::NaiveDateTime;

use crate::{CategoryId, FieldError, text::bounded};

/// 1–100 characters, unique among categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(Self(bounded("name", raw, 1, 100)?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Up to 1,000 characters.
pub fn parse_category_description(raw: &str) -> Result<String, FieldError> {
    bounded("description", raw, 0, 1000)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub description: Option<String>,
    pub is_active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub name: CategoryName,
    pub description: Option<String>,
    pub is_active: bool,
}

/// A partial update; none of these fields can be cleared.
#[derive(Debug, Clone, Default)]
pub struct CategoryChanges {
    pub name: Option<CategoryName>,
    pub description: Option<String>,
    pub is_active: Option<bool>,
}
