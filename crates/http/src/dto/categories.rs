//! Categories on the wire.

use fixdesk_usecases::domain::{
    Category, CategoryChanges, CategoryName, NewCategory, category::parse_category_description,
};
use poem_openapi::Object;
use serde::Deserialize;

use super::{
    common::{present, required},
    params::iso,
};
use crate::{error::ApiError, validation::Checker};

#[derive(Debug, Object)]
pub struct CategoryOut {
    pub id: i64,
    pub name: String,
    #[oai(nullable)]
    pub description: Option<String>,
    pub is_active: bool,
    pub created_at: String,
    #[oai(nullable)]
    pub updated_at: Option<String>,
}

impl From<Category> for CategoryOut {
    fn from(c: Category) -> Self {
        Self {
            id: c.id.0,
            name: c.name,
            description: c.description,
            is_active: c.is_active,
            created_at: iso(c.created_at),
            updated_at: c.updated_at.map(iso),
        }
    }
}

/// `description` may be left out but not sent as `null`, as before.
#[derive(Debug, Object, Deserialize)]
pub struct CreateCategoryIn {
    #[oai(validator(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    ))]
    pub name: String,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub is_active: Option<Option<bool>>,
}

impl CreateCategoryIn {
    pub fn into_domain(self) -> Result<NewCategory, ApiError> {
        let mut c = Checker::default();
        let name = c.check(&self.name, CategoryName::parse(&self.name));
        let description = c.check(
            &self.description,
            required("description", self.description.clone())
                .and_then(|d| d.as_deref().map(parse_category_description).transpose()),
        );
        let is_active = c.check(&self.is_active, required("is_active", self.is_active));
        c.finish(|| {
            Some(NewCategory {
                name: name?,
                description: description?,
                is_active: is_active?.unwrap_or(true),
            })
        })
    }
}

#[derive(Debug, Object, Deserialize)]
pub struct UpdateCategoryIn {
    #[serde(default, deserialize_with = "present")]
    #[oai(
        nullable,
        validator(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub is_active: Option<Option<bool>>,
}

impl UpdateCategoryIn {
    pub fn into_domain(self) -> Result<CategoryChanges, ApiError> {
        let mut c = Checker::default();
        let name = c.check(
            &self.name,
            required("name", self.name.clone())
                .and_then(|n| n.as_deref().map(CategoryName::parse).transpose()),
        );
        let description = c.check(
            &self.description,
            required("description", self.description.clone())
                .and_then(|d| d.as_deref().map(parse_category_description).transpose()),
        );
        let is_active = c.check(&self.is_active, required("is_active", self.is_active));
        c.finish(|| {
            Some(CategoryChanges {
                name: name?,
                description: description?,
                is_active: is_active?,
            })
        })
    }
}
