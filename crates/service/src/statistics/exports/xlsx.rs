//! Writing an export as an Excel workbook. The writer is synchronous and CPU-bound, so it runs
//! on a blocking thread fed with pages of rows through a small channel, in rust_xlsxwriter's
//! constant-memory mode (each row goes to a temporary file as it is complete): a large export
//! costs disk, not memory.

use std::path::PathBuf;

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use tokio::sync::mpsc;

use super::rows::Row;

/// The most rows a worksheet holds (Excel's limit), the header included.
pub(super) const MAX_ROWS: u64 = 1_048_576;

/// Receives pages of rows until the channel closes, then saves the workbook at `path`.
pub(super) fn write(
    headers: Vec<String>,
    mut pages: mpsc::Receiver<Vec<Row>>,
    path: PathBuf,
) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory();
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(&headers) {
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut next: u32 = 1;
    while let Some(page) = pages.blocking_recv() {
        for row in page {
            for (col, value) in (0u16..).zip(row.iter()) {
                if col == 0 {
                    // The ticket number as a number, so it sorts as one.
                    match value.parse::<f64>() {
                        Ok(n) => sheet.write_number(next, col, n)?,
                        Err(_) => sheet.write_string(next, col, value)?,
                    };
                } else if !value.is_empty() {
                    sheet.write_string(next, col, value)?;
                }
            }
            next += 1;
        }
    }
    workbook.save(path)
}
