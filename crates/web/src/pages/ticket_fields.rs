//! What a ticket refers to, offered in a form: the active categories and the items grouped by
//! category (the page's script narrows the items as the category changes and finds one by
//! inventory number, serial or room; without it all show, grouped). Shared by the form that
//! files a ticket and the one that corrects it.

use std::collections::BTreeMap;

use fixdesk_usecases::domain::{Actor, EquipmentFilter, Page};

use crate::{Service, WebError, view::Choice};

/// An item offered in the form, with what the finder matches.
#[derive(Debug)]
pub struct EquipmentOption {
    pub value: String,
    pub label: String,
    /// Lower-cased name, inventory and serial numbers, model and location.
    pub search: String,
    pub selected: bool,
}

/// The items of one category (`category` empty: items of no category, always offered).
#[derive(Debug)]
pub struct EquipmentGroup {
    pub label: String,
    pub category: String,
    pub items: Vec<EquipmentOption>,
}

/// The choices of category and item, with `category` and `equipment` (ids as typed) selected.
pub struct Pickers {
    pub categories: Vec<Choice>,
    pub groups: Vec<EquipmentGroup>,
}

impl Pickers {
    pub async fn load(
        service: &Service,
        actor: &Actor,
        category: &str,
        equipment: &str,
    ) -> Result<Self, WebError> {
        let all = Page::new(0, Page::MAX_LIMIT as i64);
        let categories = service.categories().list(actor, false, all).await?;
        let items = service
            .equipment()
            .list(actor, EquipmentFilter::default(), None, all)
            .await?;
        // Grouped by category id, labelled by its type (items of no category by their type).
        let mut groups: BTreeMap<(String, String), Vec<EquipmentOption>> = BTreeMap::new();
        for e in items {
            let label = match &e.location {
                Some(place) => format!("{} ({place})", e.name),
                None => e.name.clone(),
            };
            let search = e.search_text();
            let key = (
                e.category_id.map(|c| c.0.to_string()).unwrap_or_default(),
                e.kind.clone().unwrap_or_default(),
            );
            let value = e.id.to_string();
            groups.entry(key).or_default().push(EquipmentOption {
                selected: value == equipment,
                value,
                label,
                search,
            });
        }
        Ok(Self {
            categories: categories
                .into_iter()
                .map(|c| Choice::new(c.id.to_string(), c.name, category))
                .collect(),
            groups: groups
                .into_iter()
                .map(|((category, label), items)| EquipmentGroup {
                    label,
                    category,
                    items,
                })
                .collect(),
        })
    }
}
