//! What an import is asked to do, and what it reports back.

use std::path::PathBuf;

/// One repair or skip, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub table: &'static str,
    pub id: i64,
    pub problem: String,
    pub action: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Per table: rows read from the old database and rows written.
    pub tables: Vec<(&'static str, u64, u64)>,
    pub repairs: Vec<Repair>,
    pub dry_run: bool,
    pub seconds: f64,
}

impl ImportReport {
    /// The repairs as CSV (`table,id,problem,action`).
    pub fn repairs_csv(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::from("table,id,problem,action\n");
        for r in &self.repairs {
            out.push_str(&format!(
                "{},{},{},{}\n",
                r.table,
                r.id,
                quote(&r.problem),
                quote(&r.action)
            ));
        }
        out
    }
}

/// Where the import is, for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub table: &'static str,
    pub done: u64,
    pub total: u64,
    pub elapsed_secs: f64,
}

/// What to import from where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The old database: a URL or an SQLite file path.
    pub source: String,
    /// Write nothing; report what would be imported and repaired.
    pub dry_run: bool,
    /// The old service's `uploads` directory, to bring attachment files along.
    pub uploads: Option<PathBuf>,
}
