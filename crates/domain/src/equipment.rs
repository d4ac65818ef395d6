//! Equipment: the inventory that tickets are filed against, and its maintenance history.

use std::{fmt, str::FromStr};

use chrono::NaiveDateTime;

use crate::{EquipmentId, FieldError, MaintenanceId, Patch, UserId, text::bounded};

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

/// The text of an equipment field, trimmed and at most `max` characters (`name` at least 1).
pub fn equipment_text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    bounded(field, raw, usize::from(field == "name"), max)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equipment {
    pub id: EquipmentId,
    pub name: String,
    /// The equipment type, which is a ticket category's name.
    pub kind: Option<String>,
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
    pub status: EquipmentStatus,
    pub details: EquipmentDetails,
}

#[derive(Debug, Clone, Default)]
pub struct EquipmentChanges {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub status: Option<EquipmentStatus>,
    pub details: EquipmentDetails,
}

/// Which items a list shows; every filter is an exact match.
#[derive(Debug, Clone, Default)]
pub struct EquipmentFilter {
    pub kind: Option<String>,
    pub location: Option<String>,
    pub status: Option<String>,
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
}

#[derive(Debug, Clone)]
pub struct NewMaintenance {
    pub kind: MaintenanceKind,
    pub description: String,
    /// When the work was done; now if not given.
    pub performed_at: Option<NaiveDateTime>,
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
    fn only_the_name_is_required() {
        assert!(equipment_text("name", "", 200).is_err());
        assert!(equipment_text("model", "", 200).is_ok());
        assert!(equipment_text("model", &"m".repeat(201), 200).is_err());
    }
}
