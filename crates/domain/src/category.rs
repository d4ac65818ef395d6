//! Ticket categories. Equipment belongs to one by id; the old API's equipment `type` is the
//! category's name, matched without regard to case when an item names one.

use chrono::NaiveDateTime;

use crate::{CategoryId, FieldError, text::bounded};

/// 1–100 characters, unique among categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(Self(crate::text::line("name", raw, 1, 100)?))
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

/// The category an equipment type names: the first (by id) whose name is the same ignoring
/// case and surrounding spaces (so imported `printer` finds `Printer`, `принтер` finds
/// `Принтер`). `categories` must come in id order.
pub fn category_named<'a>(
    kind: &str,
    categories: impl IntoIterator<Item = (CategoryId, &'a str)>,
) -> Option<CategoryId> {
    let wanted = kind.trim().to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    categories
        .into_iter()
        .find(|(_, name)| name.trim().to_lowercase() == wanted)
        .map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_finds_its_category_whatever_the_case() {
        let cats = [
            (CategoryId(1), "Принтеры"),
            (CategoryId(2), "Printer"),
            (CategoryId(3), "printer"),
        ];
        assert_eq!(category_named(" PRINTER ", cats), Some(CategoryId(2)));
        assert_eq!(category_named("принтеры", cats), Some(CategoryId(1)));
        assert_eq!(category_named("projector", cats), None);
        assert_eq!(category_named("  ", cats), None);
    }
}
