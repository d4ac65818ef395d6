//! An exported ticket as the cells of one row: words instead of codes, names instead of ids,
//! times in the requester's zone, and text a spreadsheet will not run as a formula.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeZone as _};
use fixdesk_domain::{EXPORT_COLUMNS, ExportLayout, Ticket};

/// The names the ids of a ticket stand for, read once per export.
#[derive(Debug, Default)]
pub(super) struct Names {
    pub(super) categories: HashMap<i64, String>,
    pub(super) equipment: HashMap<i64, String>,
}

pub(super) type Row = [String; EXPORT_COLUMNS.len()];

/// A cell of user-written text that a spreadsheet will not run as a formula: text starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice for
/// CSV injection), which spreadsheets show as plain text.
pub(crate) fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

pub(super) fn row(t: &Ticket, layout: &ExportLayout, zone: chrono_tz::Tz, names: &Names) -> Row {
    let time = |at: NaiveDateTime| {
        zone.from_utc_datetime(&at)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let name = |map: &HashMap<i64, String>, id: Option<i64>| {
        id.and_then(|i| map.get(&i))
            .map(|n| cell(n))
            .unwrap_or_default()
    };
    [
        t.id.0.to_string(),
        cell(&t.title),
        ExportLayout::word(&layout.statuses, t.status.rank()),
        ExportLayout::word(&layout.priorities, t.priority.rank()),
        name(&names.categories, t.category_id.map(|c| c.0)),
        cell(&t.room_number),
        name(&names.equipment, t.equipment_id.map(|e| e.0)),
        cell(t.creator_name.as_deref().unwrap_or_default()),
        cell(t.assigned_to_name.as_deref().unwrap_or_default()),
        time(t.created_at),
        time(t.updated_at),
        t.closed_at.map(time).unwrap_or_default(),
        cell(&t.description),
        cell(t.resolution.as_deref().unwrap_or_default()),
    ]
}

/// Rows as CSV in the layout's convention, the header first when `header` is set (with the
/// byte-order mark, if asked, before it).
pub(super) fn csv(rows: &[Row], layout: &ExportLayout, header: bool) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    if header && layout.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let delimiter = u8::try_from(layout.delimiter).unwrap_or(b',');
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    if header {
        w.write_record(&layout.headers)?;
    }
    for r in rows {
        w.write_record(r)?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

#[cfg(test)]
mod tests {
    use fixdesk_domain::{Priority, TicketId, TicketStatus, UserId};

    use super::*;

    #[test]
    fn text_a_spreadsheet_would_run_is_written_as_text() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        assert_eq!(cell("Принтер 3-го этажа"), "Принтер 3-го этажа");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn a_russian_layout_reads_right_in_a_russian_spreadsheet() {
        let at = NaiveDateTime::parse_from_str("2026-03-10 00:50", "%Y-%m-%d %H:%M").expect("time");
        let ticket = Ticket {
            id: TicketId(1014),
            title: "Принтер".into(),
            description: "Замятие; бумага".into(),
            priority: Priority::High,
            status: TicketStatus::InProgress,
            category_id: Some(fixdesk_domain::CategoryId(3)),
            room_number: "204".into(),
            equipment_id: None,
            created_at: at,
            updated_at: at,
            closed_at: None,
            status_changed_at: at,
            creator_id: UserId(2),
            creator_name: Some("Иванов".into()),
            assigned_to_id: None,
            assigned_to_name: None,
            resolution: None,
            hidden_for_creator: false,
            messages_count: 0,
            last_message_by: None,
            internal_messages_count: 0,
            waiting_on_requester: false,
            merged_into_id: None,
            planned: false,
            downtime_minutes: None,
            sla: None,
            reading: None,
        };
        let layout = ExportLayout {
            delimiter: ';',
            bom: true,
            statuses: vec!["Новая".into(), "В работе".into(), "Закрыта".into()],
            ..ExportLayout::default()
        };
        let names = Names {
            categories: HashMap::from([(3, "Принтеры".to_string())]),
            ..Names::default()
        };
        let r = row(&ticket, &layout, chrono_tz::Europe::Moscow, &names);
        assert_eq!(r[2], "В работе");
        assert_eq!(r[4], "Принтеры");
        assert_eq!(r[9], "2026-03-10 03:50");
        let text = String::from_utf8(csv(&[r], &layout, true).expect("csv")).expect("utf-8");
        assert!(text.starts_with("\u{feff}id;title;status"), "{text}");
        assert!(
            text.contains("1014;Принтер;В работе;high;Принтеры;204;"),
            "{text}"
        );
        assert!(text.contains("\"Замятие; бумага\""), "{text}");
    }
}
