//! The state of one import: the two databases, the report being written, progress.

use std::time::Instant;

use chrono::NaiveDateTime;
use fixdesk_db::{ConnectionTrait, Database};
use fixdesk_repository::legacy;
use fixdesk_usecases::ServiceError;

use super::{ImportReport, Progress, Repair, legacy_rows::LegacyRow, repair};

pub(super) const BATCH: u64 = 5_000;

pub(super) struct Run<'a, C> {
    pub(super) conn: &'a C,
    pub(super) legacy: &'a Database,
    pub(super) now: NaiveDateTime,
    pub(super) report: ImportReport,
    pub(super) progress: &'a mut (dyn FnMut(Progress) + Send),
    pub(super) started: Instant,
}

impl<C: ConnectionTrait> Run<'_, C> {
    pub(super) fn repair(
        &mut self,
        table: &'static str,
        id: i64,
        problem: impl Into<String>,
        action: impl Into<String>,
    ) {
        self.report.repairs.push(Repair {
            table,
            id,
            problem: problem.into(),
            action: action.into(),
        });
    }

    /// Records a repaired value's note, if any.
    pub(super) fn note<T>(
        &mut self,
        table: &'static str,
        id: i64,
        (value, note): repair::Repaired<T>,
    ) -> T {
        if let Some(problem) = note {
            self.repair(table, id, problem, "repaired");
        }
        value
    }

    pub(super) fn tick(&mut self, table: &'static str, done: u64, total: u64) {
        (self.progress)(Progress {
            table,
            done,
            total,
            elapsed_secs: self.started.elapsed().as_secs_f64(),
        });
    }

    /// Reads a whole old table a batch at a time, handing each batch to `each`.
    pub(super) async fn each_batch<T, F>(
        &mut self,
        table: &'static str,
        cols: &str,
        mut each: F,
    ) -> Result<(u64, u64), ServiceError>
    where
        T: LegacyRow,
        F: for<'r> FnMut(
            &'r mut Self,
            Vec<T>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<u64, ServiceError>> + Send + 'r>,
        >,
    {
        let total = legacy::count(self.legacy.reader(), table).await?;
        let (mut read, mut written, mut after) = (0u64, 0u64, 0i64);
        loop {
            let batch: Vec<T> = T::read(self.legacy, table, cols, after, BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.id();
            read += batch.len() as u64;
            written += each(self, batch).await?;
            self.tick(table, read, total);
        }
        self.report.tables.push((table, read, written));
        Ok((read, written))
    }
}
