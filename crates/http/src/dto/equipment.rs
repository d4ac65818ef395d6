//! Equipment and maintenance on the wire. An item belongs to a category: `category_id` chooses
//! it (new clients); otherwise a truthy `category` names it (the old frontend sends the
//! category's name there), else `type` does — matched ignoring case. `type` answers the
//! category's name.

use chrono::NaiveDateTime;
use fixdesk_usecases::domain::{
    CategoryId, DomainError, Equipment, EquipmentChanges, EquipmentDetails, EquipmentStatus,
    FieldError, Maintenance, MaintenanceKind, NewEquipment, NewMaintenance, Patch,
    equipment::{MaintenanceWork, equipment_text},
    money::Money,
};
use poem_openapi::Object;
use serde::Deserialize;

use super::{
    common::{patch, present, required},
    params::{date_or_datetime, iso},
};
use crate::{error::ApiError, validation::Checker};

#[derive(Debug, Object)]
pub struct EquipmentOut {
    pub id: i64,
    pub name: String,
    #[oai(nullable, rename = "type")]
    pub kind: Option<String>,
    /// The category the item belongs to (none while its type names no category).
    #[oai(nullable)]
    pub category_id: Option<i64>,
    #[oai(nullable)]
    pub model: Option<String>,
    #[oai(nullable)]
    pub serial_number: Option<String>,
    #[oai(nullable)]
    pub inventory_number: Option<String>,
    #[oai(nullable)]
    pub location: Option<String>,
    pub status: String,
    #[oai(nullable)]
    pub purchase_date: Option<String>,
    #[oai(nullable)]
    pub warranty_end_date: Option<String>,
    #[oai(nullable)]
    pub last_maintenance_date: Option<String>,
    #[oai(nullable)]
    pub responsible_person: Option<String>,
    #[oai(nullable)]
    pub notes: Option<String>,
    pub created_at: String,
    pub created_by_id: i64,
    #[oai(nullable)]
    pub updated_at: Option<String>,
    #[oai(nullable)]
    pub updated_by_id: Option<i64>,
}

impl From<Equipment> for EquipmentOut {
    fn from(e: Equipment) -> Self {
        Self {
            id: e.id.0,
            name: e.name,
            kind: e.kind,
            category_id: e.category_id.map(|c| c.0),
            model: e.model,
            serial_number: e.serial_number,
            inventory_number: e.inventory_number,
            location: e.location,
            status: e.status.as_str().into(),
            purchase_date: e.purchase_date.map(iso),
            warranty_end_date: e.warranty_end_date.map(iso),
            last_maintenance_date: e.last_maintenance_date.map(iso),
            responsible_person: e.responsible_person,
            notes: e.notes,
            created_at: iso(e.created_at),
            created_by_id: e.created_by_id.0,
            updated_at: e.updated_at.map(iso),
            updated_by_id: e.updated_by_id.map(|u| u.0),
        }
    }
}

/// Create and update take the same fields; on create `name` is required.
#[derive(Debug, Object, Deserialize)]
pub struct EquipmentIn {
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub name: Option<Option<String>>,
    #[oai(nullable, rename = "type")]
    #[serde(default, rename = "type", deserialize_with = "present")]
    pub kind: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub category: Option<Option<String>>,
    /// The category by id (a number, or its digits as text); its name becomes the type.
    /// Empty or `null` leaves the category to `category`/`type` (the old frontend sends `""`).
    #[serde(default)]
    pub category_id: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub model: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub serial_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub inventory_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub location: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub status: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub purchase_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub warranty_end_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub last_maintenance_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub responsible_person: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub notes: Option<Option<String>>,
}

fn text(
    c: &mut Checker,
    field: &'static str,
    v: &Option<Option<String>>,
    max: usize,
) -> Option<Patch<String>> {
    c.check(
        v,
        patch(v.clone()).try_map(|s| equipment_text(field, &s, max)),
    )
}

fn date(
    c: &mut Checker,
    field: &'static str,
    v: &Option<Option<String>>,
) -> Option<Patch<NaiveDateTime>> {
    c.check(v, patch(v.clone()).try_map(|s| date_or_datetime(field, &s)))
}

impl EquipmentIn {
    /// The type: a non-empty `category`, else a non-empty `type`.
    fn kind(&self) -> Option<String> {
        let pick = |v: &Option<Option<String>>| {
            v.clone()
                .flatten()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        pick(&self.category).or_else(|| pick(&self.kind))
    }

    /// `category_id` as a number, when one is given.
    fn chosen_category(&self) -> Result<Option<i64>, FieldError> {
        match &self.category_id {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(serde_json::Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
                FieldError::new(
                    "category_id",
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer",
                )
            }),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| {
                FieldError::new("category_id", "int_type", "Input should be a valid integer")
            }),
        }
    }

    fn changes(&self, c: &mut Checker) -> Option<EquipmentChanges> {
        let name = c.check(
            &self.name,
            required("name", self.name.clone()).and_then(|n| {
                n.as_deref()
                    .map(|n| equipment_text("name", n, 200))
                    .transpose()
            }),
        );
        let kind = c.check(
            &self.kind,
            self.kind()
                .map(|k| equipment_text("type", &k, 100))
                .transpose(),
        );
        let status = c.check(
            &self.status,
            required("status", self.status.clone())
                .and_then(|s| s.as_deref().map(str::parse::<EquipmentStatus>).transpose()),
        );
        let category = c.check(&self.category_id, self.chosen_category());
        let details = EquipmentDetails {
            model: text(c, "model", &self.model, 200)?,
            serial_number: text(c, "serial_number", &self.serial_number, 200)?,
            inventory_number: text(c, "inventory_number", &self.inventory_number, 200)?,
            location: text(c, "location", &self.location, 200)?,
            purchase_date: date(c, "purchase_date", &self.purchase_date)?,
            warranty_end_date: date(c, "warranty_end_date", &self.warranty_end_date)?,
            last_maintenance_date: date(c, "last_maintenance_date", &self.last_maintenance_date)?,
            responsible_person: text(c, "responsible_person", &self.responsible_person, 200)?,
            notes: text(c, "notes", &self.notes, 10_000)?,
        };
        Some(EquipmentChanges {
            name: name?,
            kind: kind?,
            category_id: category?.map(|c| Some(CategoryId(c))),
            status: status?,
            details,
        })
    }

    pub fn into_new(self) -> Result<NewEquipment, ApiError> {
        let mut c = Checker::default();
        if self.name.is_none() {
            c.check(
                &serde_json::Value::Null,
                Err::<(), _>(FieldError::new("name", "missing", "Field required")),
            );
        }
        let changes = self.changes(&mut c);
        let changes = c.finish(|| changes)?;
        let category_id = changes.category_id.flatten();
        // A category chosen by id gives the type its name.
        let kind = match (changes.kind, category_id) {
            (Some(kind), _) => kind,
            (None, Some(_)) => String::new(),
            (None, None) => return Err(DomainError::EquipmentTypeRequired.into()),
        };
        Ok(NewEquipment {
            name: changes.name.unwrap_or_default(),
            kind,
            category_id,
            status: changes.status.unwrap_or_default(),
            details: changes.details,
        })
    }

    pub fn into_changes(self) -> Result<EquipmentChanges, ApiError> {
        let mut c = Checker::default();
        let changes = self.changes(&mut c);
        c.finish(|| changes)
    }
}

#[derive(Debug, Object, Deserialize)]
pub struct MaintenanceIn {
    pub description: String,
    #[serde(default)]
    #[oai(nullable)]
    pub maintenance_type: Option<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub action_type: Option<String>,
    /// `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    #[oai(nullable)]
    pub date: Option<String>,
    /// Parts used, as text.
    #[serde(default)]
    #[oai(nullable)]
    pub parts: Option<String>,
    /// The cost as a decimal string (`"1250.50"`), with `currency`.
    #[serde(default)]
    #[oai(nullable)]
    pub cost: Option<String>,
    /// Three letters (`EUR`, `RUB`); required with a cost.
    #[serde(default)]
    #[oai(nullable)]
    pub currency: Option<String>,
    /// Minutes the item was out of use.
    #[serde(default)]
    #[oai(nullable)]
    pub downtime_minutes: Option<i64>,
}

impl MaintenanceIn {
    pub fn into_domain(self) -> Result<NewMaintenance, ApiError> {
        let truthy = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let kind = truthy(&self.maintenance_type)
            .or_else(|| truthy(&self.action_type))
            .ok_or(DomainError::MaintenanceTypeRequired)?;
        let performed_at = match truthy(&self.date) {
            Some(d) => Some(
                chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| DomainError::BadMaintenanceDate)?
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default(),
            ),
            None => None,
        };
        let mut c = Checker::default();
        let kind = c.check(&kind, kind.parse::<MaintenanceKind>());
        let description = c.check(
            &self.description,
            equipment_text("description", &self.description, 5000).and_then(|d| {
                if d.is_empty() {
                    Err(FieldError::new(
                        "description",
                        "string_too_short",
                        "String should have at least 1 character",
                    ))
                } else {
                    Ok(d)
                }
            }),
        );
        let cost = c.check(
            &self.cost,
            match truthy(&self.cost) {
                Some(amount) => {
                    Money::parse(&amount, self.currency.as_deref().unwrap_or_default()).map(Some)
                }
                None => Ok(None),
            },
        );
        let parts = c.check(
            &self.parts,
            truthy(&self.parts)
                .map(|p| equipment_text("parts", &p, 2000))
                .transpose(),
        );
        let downtime = c.check(
            &self.downtime_minutes,
            match self.downtime_minutes {
                Some(m) if !(0..=5_256_000).contains(&m) => Err(FieldError::new(
                    "downtime_minutes",
                    "value_error",
                    "Downtime is 0 to 10 years in minutes",
                )),
                m => Ok(m),
            },
        );
        c.finish(|| {
            Some(NewMaintenance {
                kind: kind?,
                description: description?,
                performed_at,
                work: MaintenanceWork {
                    parts: parts?,
                    cost: cost?,
                    downtime_minutes: downtime?,
                },
            })
        })
    }
}

#[derive(Debug, Object)]
pub struct MaintenanceOut {
    pub id: i64,
    pub equipment_id: i64,
    pub action_type: String,
    pub maintenance_type: String,
    pub description: String,
    /// The day the work was done (`YYYY-MM-DD`).
    pub date: String,
    pub performed_by: i64,
    pub performed_at: String,
    #[oai(nullable)]
    pub parts: Option<String>,
    /// A decimal string (`"1250.50"`), never a float.
    #[oai(nullable)]
    pub cost: Option<String>,
    #[oai(nullable)]
    pub currency: Option<String>,
    #[oai(nullable)]
    pub downtime_minutes: Option<i64>,
}

impl From<Maintenance> for MaintenanceOut {
    fn from(m: Maintenance) -> Self {
        Self {
            id: m.id.0,
            equipment_id: m.equipment_id.0,
            action_type: m.kind.as_str().into(),
            maintenance_type: m.kind.as_str().into(),
            description: m.description,
            date: m.performed_at.format("%Y-%m-%d").to_string(),
            performed_by: m.performed_by.0,
            performed_at: iso(m.performed_at),
            cost: m.work.cost.as_ref().map(Money::amount),
            currency: m.work.cost.map(|c| c.currency),
            parts: m.work.parts,
            downtime_minutes: m.work.downtime_minutes,
        }
    }
}
