//! Equipment: the inventory that tickets are filed against, and its maintenance history.

use std::{fmt, str::FromStr};

use chrono::NaiveDateTime;

use crate::{CategoryId, EquipmentId, FieldError, MaintenanceId, Patch, UserId, text::bounded};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EquipmentStatus {
    #[default]
    Active,
    Inactive,
    Repair,
    Decommissioned,
}

impl EquipmentStatus {
    pub const ALL: [EquipmentStatus; 4] = [
        EquipmentStatus::Active,
        EquipmentStatus::Inactive,
        EquipmentStatus::Repair,
        EquipmentStatus::Decommissioned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EquipmentStatus::Active => "active",
            EquipmentStatus::Inactive => "inactive",
            EquipmentStatus::Repair => "repair",
            EquipmentStatus::Decommissioned => "decommissioned",
        }
    }
}

impl EquipmentStatus {
    /// The status an item takes when its tickets change: in repair while any ticket about it
    /// is open, active again when the last one closes. `None`: it stays as it is (a
    /// decommissioned item is never revived; an inactive item without tickets stays inactive).
    pub fn following_tickets(self, any_open: bool) -> Option<EquipmentStatus> {
        match (self, any_open) {
            (EquipmentStatus::Decommissioned, _) => None,
            (EquipmentStatus::Repair, false) => Some(EquipmentStatus::Active),
            (EquipmentStatus::Active | EquipmentStatus::Inactive, true) => {
                Some(EquipmentStatus::Repair)
            }
            _ => None,
        }
    }
}

impl fmt::Display for EquipmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EquipmentStatus {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "status",
                    "enum",
                    "Input should be 'active', 'inactive', 'repair' or 'decommissioned'",
                )
            })
    }
}

/// The text of an equipment field, trimmed and at most `max` characters (`name` at least 1);
/// the short fields (name, type, model, numbers, location) on one line.
pub fn equipment_text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let min = usize::from(field == "name");
    if max <= 200 {
        crate::text::line(field, raw, min, max)
    } else {
        bounded(field, raw, min, max)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equipment {
    pub id: EquipmentId,
    pub name: String,
    /// The equipment type: its category's name, or (for an item whose type no category names)
    /// the text it was given.
    pub kind: Option<String>,
    /// The ticket category the item belongs to.
    pub category_id: Option<CategoryId>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub inventory_number: Option<String>,
    pub location: Option<String>,
    pub status: EquipmentStatus,
    pub purchase_date: Option<NaiveDateTime>,
    pub warranty_end_date: Option<NaiveDateTime>,
    pub last_maintenance_date: Option<NaiveDateTime>,
    pub responsible_person: Option<String>,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub created_by_id: UserId,
    pub updated_at: Option<NaiveDateTime>,
    pub updated_by_id: Option<UserId>,
}

/// The text an item is found by: the given fields, lower-cased (in Rust, so Cyrillic too:
/// SQLite's own `lower` knows only ASCII), separated by spaces.
pub fn search_text<'a>(fields: impl IntoIterator<Item = Option<&'a str>>) -> String {
    fields
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Equipment {
    /// Name, inventory and serial numbers, model and location, for [`search_text`].
    pub fn search_text(&self) -> String {
        search_text([
            Some(self.name.as_str()),
            self.inventory_number.as_deref(),
            self.serial_number.as_deref(),
            self.model.as_deref(),
            self.location.as_deref(),
        ])
    }

    /// What its label says: the inventory number, or one made from the id (`FD-00042`) for an
    /// item that has none.
    pub fn asset_tag(&self) -> String {
        match self.inventory_number.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => format!("FD-{:05}", self.id.0),
        }
    }
}

/// The descriptive fields of an item; every one may be set or cleared.
#[derive(Debug, Clone, Default)]
pub struct EquipmentDetails {
    pub model: Patch<String>,
    pub serial_number: Patch<String>,
    pub inventory_number: Patch<String>,
    pub location: Patch<String>,
    pub purchase_date: Patch<NaiveDateTime>,
    pub warranty_end_date: Patch<NaiveDateTime>,
    pub last_maintenance_date: Patch<NaiveDateTime>,
    pub responsible_person: Patch<String>,
    pub notes: Patch<String>,
}

#[derive(Debug, Clone)]
pub struct NewEquipment {
    pub name: String,
    pub kind: String,
    /// Chosen by id; when absent, the category `kind` names (ignoring case), if any.
    pub category_id: Option<CategoryId>,
    pub status: EquipmentStatus,
    pub details: EquipmentDetails,
}

#[derive(Debug, Clone, Default)]
pub struct EquipmentChanges {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// A new category by id (its name becomes the type), or, with `kind` only, found by name.
    pub category_id: Option<Option<CategoryId>>,
    pub status: Option<EquipmentStatus>,
    pub details: EquipmentDetails,
}

/// Which items a list shows: every given filter must hold.
#[derive(Debug, Clone, Default)]
pub struct EquipmentFilter {
    /// The type text, exactly (the old API's `type`).
    pub kind: Option<String>,
    pub category_id: Option<CategoryId>,
    pub location: Option<String>,
    pub status: Option<String>,
    /// Part of the name, model, serial or inventory number, or location, ignoring case.
    pub search: Option<String>,
    /// Items with (or without) a ticket that is not closed.
    pub has_open_tickets: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaintenanceKind {
    Maintenance,
    Repair,
    Inspection,
    Upgrade,
    Other,
}

impl MaintenanceKind {
    pub const ALL: [MaintenanceKind; 5] = [
        MaintenanceKind::Maintenance,
        MaintenanceKind::Repair,
        MaintenanceKind::Inspection,
        MaintenanceKind::Upgrade,
        MaintenanceKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MaintenanceKind::Maintenance => "maintenance",
            MaintenanceKind::Repair => "repair",
            MaintenanceKind::Inspection => "inspection",
            MaintenanceKind::Upgrade => "upgrade",
            MaintenanceKind::Other => "other",
        }
    }
}

impl FromStr for MaintenanceKind {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "maintenance_type",
                    "enum",
                    "Input should be 'maintenance', 'repair', 'inspection', 'upgrade' or 'other'",
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    pub id: MaintenanceId,
    pub equipment_id: EquipmentId,
    pub kind: MaintenanceKind,
    pub description: String,
    pub performed_at: NaiveDateTime,
    pub performed_by: UserId,
    pub work: MaintenanceWork,
}

/// What a piece of maintenance took: parts, cost, and how long the item was out of use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaintenanceWork {
    pub parts: Option<String>,
    pub cost: Option<crate::money::Money>,
    pub downtime_minutes: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewMaintenance {
    pub kind: MaintenanceKind,
    pub description: String,
    /// When the work was done; now if not given.
    pub performed_at: Option<NaiveDateTime>,
    pub work: MaintenanceWork,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_kinds_parse_exactly() {
        assert_eq!(
            "repair".parse::<EquipmentStatus>(),
            Ok(EquipmentStatus::Repair)
        );
        assert!("broken".parse::<EquipmentStatus>().is_err());
        assert_eq!(
            "upgrade".parse::<MaintenanceKind>(),
            Ok(MaintenanceKind::Upgrade)
        );
        assert!("fix".parse::<MaintenanceKind>().is_err());
    }

    #[test]
    fn an_item_is_in_repair_while_a_ticket_is_open() {
        use EquipmentStatus::*;
        assert_eq!(Active.following_tickets(true), Some(Repair));
        assert_eq!(Inactive.following_tickets(true), Some(Repair));
        assert_eq!(Repair.following_tickets(true), None);
        assert_eq!(Repair.following_tickets(false), Some(Active));
        assert_eq!(Active.following_tickets(false), None);
        assert_eq!(Decommissioned.following_tickets(true), None);
        assert_eq!(Decommissioned.following_tickets(false), None);
    }

    #[test]
    fn only_the_name_is_required() {
        assert!(equipment_text("name", "", 200).is_err());
        assert!(equipment_text("model", "", 200).is_ok());
        assert!(equipment_text("model", &"m".repeat(201), 200).is_err());
    }
}
