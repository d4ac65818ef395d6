//! How a ticket export is written: the kind of file, and the words and conventions of the
//! person who will open it (a spreadsheet set to Russian expects `;` between cells and reads
//! CSV as UTF-8 only after a byte-order mark). The transport that asks for an export supplies
//! the words; the defaults are the codes and conventions scripts expect.

use serde::{Deserialize, Serialize};

/// The columns of an export, in order, by code.
pub const EXPORT_COLUMNS: [&str; 14] = [
    "id",
    "title",
    "status",
    "priority",
    "category",
    "room_number",
    "equipment",
    "creator",
    "assignee",
    "created_at",
    "updated_at",
    "closed_at",
    "description",
    "resolution",
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    #[default]
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportLayout {
    pub format: ExportFormat,
    /// Between CSV cells: `,` or `;`.
    pub delimiter: char,
    /// Start a CSV with a UTF-8 byte-order mark.
    pub bom: bool,
    /// The IANA zone times are written in.
    pub time_zone: String,
    /// A title per column of [`EXPORT_COLUMNS`].
    pub headers: Vec<String>,
    /// The words for the statuses and priorities, by rank.
    pub statuses: Vec<String>,
    pub priorities: Vec<String>,
}

impl Default for ExportLayout {
    fn default() -> Self {
        let codes = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        Self {
            format: ExportFormat::Csv,
            delimiter: ',',
            bom: false,
            time_zone: "UTC".into(),
            headers: codes(&EXPORT_COLUMNS),
            statuses: codes(&["new", "in_progress", "closed"]),
            priorities: codes(&["low", "medium", "high"]),
        }
    }
}

impl ExportLayout {
    /// The word for a rank of `list`, or the rank itself when the layout has none.
    pub fn word(list: &[String], rank: i16) -> String {
        usize::try_from(rank)
            .ok()
            .and_then(|i| list.get(i))
            .cloned()
            .unwrap_or_else(|| rank.to_string())
    }
}
