//! The reliability report as a file: CSV in the visitor's spreadsheet convention, or an Excel
//! workbook (written on a blocking thread: it is CPU work). One row per item or group, the
//! figures as numbers so a spreadsheet can sum and chart them.

use fixdesk_domain::{ExportFormat, ExportLayout, reliability::Figures};
use fixdesk_usecases::ServiceError;
use rust_xlsxwriter::{Format, Workbook};

use crate::statistics::exports::cell;

/// The columns, in the order the layout's headers name them.
pub const COLUMNS: usize = 8;

fn cells(f: &Figures) -> [String; COLUMNS] {
    let hours = |h: Option<f64>| h.map(|h| format!("{h:.1}")).unwrap_or_default();
    [
        cell(&f.label),
        f.tally.items.to_string(),
        f.tally.failures.to_string(),
        f.tally.repairs.to_string(),
        hours(f.mtbf_hours),
        hours(f.mttr_hours),
        format!("{:.1}", f.downtime_hours),
        f.costs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    ]
}

/// The rows as a file in `layout`'s format, headers first.
pub(crate) async fn write(
    rows: Vec<Figures>,
    layout: ExportLayout,
) -> Result<Vec<u8>, ServiceError> {
    let table: Vec<[String; COLUMNS]> = rows.iter().map(cells).collect();
    match layout.format {
        ExportFormat::Csv => {
            let mut out = Vec::new();
            if layout.bom {
                out.extend_from_slice("\u{feff}".as_bytes());
            }
            let mut w = csv::WriterBuilder::new()
                .delimiter(u8::try_from(layout.delimiter).unwrap_or(b','))
                .from_writer(out);
            w.write_record(&layout.headers)
                .map_err(ServiceError::internal)?;
            for r in &table {
                w.write_record(r).map_err(ServiceError::internal)?;
            }
            w.into_inner()
                .map_err(|e| ServiceError::internal(e.into_error()))
        }
        ExportFormat::Xlsx => {
            tokio::task::spawn_blocking(move || workbook(&layout.headers, &table))
                .await
                .map_err(ServiceError::internal)?
                .map_err(ServiceError::internal)
        }
    }
}

fn workbook(
    headers: &[String],
    table: &[[String; COLUMNS]],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, cells) in (1u32..).zip(table) {
        for (col, value) in (0u16..).zip(cells) {
            // Counts and hours as numbers; names and costs as text.
            match value.parse::<f64>() {
                Ok(n) if (1..7).contains(&col) => sheet.write_number(row, col, n)?,
                _ if value.is_empty() => sheet,
                _ => sheet.write_string(row, col, value)?,
            };
        }
    }
    sheet.autofit();
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use fixdesk_domain::reliability::Tally;

    use super::*;

    #[tokio::test]
    async fn a_russian_spreadsheet_gets_semicolons_and_numbers_stay_numbers() {
        let tally = Tally {
            items: 1,
            failures: 2,
            repairs: 2,
            repair_minutes: 360,
            downtime_minutes: 360,
            ..Tally::default()
        };
        let rows = vec![Figures::of("1".into(), "=HP 400".into(), tally, 43_200)];
        let layout = ExportLayout {
            delimiter: ';',
            bom: true,
            headers: (0..COLUMNS).map(|i| format!("h{i}")).collect(),
            ..ExportLayout::default()
        };
        let csv = String::from_utf8(write(rows.clone(), layout.clone()).await.unwrap()).unwrap();
        assert_eq!(
            csv,
            "\u{feff}h0;h1;h2;h3;h4;h5;h6;h7\n'=HP 400;1;2;2;357.0;3.0;6.0;\n"
        );
        let xlsx = write(
            rows,
            ExportLayout {
                format: ExportFormat::Xlsx,
                ..layout
            },
        )
        .await
        .unwrap();
        assert!(xlsx.starts_with(b"PK"), "a zip, as every workbook is");
    }
}
