//! After an admin changes a calendar or a policy, the open tickets' due times are counted
//! again in the background, in batches, each in its own unit of work. Closed tickets keep the
//! outcome they had.

use fixdesk_domain::counters::delta;
use fixdesk_domain::{JobKind, JobState, TicketId};
use fixdesk_repository::{batch::Batch, jobs, statistics, tickets, tickets::TicketUpdate};
use fixdesk_usecases::ServiceError;
use serde_json::json;

use crate::{clock, context::Context, sla::clocks};

const BATCH: u64 = 500;

/// Queues a recount unless one is waiting (a running one may have passed tickets already, so
/// it does not count).
pub(crate) async fn enqueue<C: fixdesk_db::ConnectionTrait>(conn: &C) -> Result<(), ServiceError> {
    if !jobs::any_in(conn, JobKind::SlaRecount, &[JobState::Queued]).await? {
        jobs::enqueue(conn, JobKind::SlaRecount, "{}".into(), None, clock::wall()).await?;
    }
    Ok(())
}

/// Runs a recount; returns how many tickets changed, as the job's result.
pub(crate) async fn run(ctx: &Context) -> Result<String, ServiceError> {
    ctx.sla_book.forget();
    let mut after = TicketId(0);
    let mut changed = 0;
    loop {
        let uow = ctx.db.begin_write().await?;
        let book = ctx.sla_book.get(uow.conn()).await?;
        let now = ctx.clock.now();
        let batch = tickets::open_after(uow.conn(), after, BATCH).await?;
        let Some(last) = batch.last().map(|t| t.id) else {
            break;
        };
        let mut counters = Batch::on(uow.conn());
        for t in &batch {
            if let Some(sla) = clocks::recounted(&book, t, now) {
                let change = TicketUpdate {
                    sla: Some(sla),
                    ..TicketUpdate::default()
                };
                let after = tickets::update(uow.conn(), t.id, change, t.updated_at).await?;
                statistics::apply(&mut counters, delta(Some(t), Some(&after)));
                changed += 1;
            }
        }
        counters.run(uow.conn()).await?;
        uow.commit().await?;
        after = last;
    }
    Ok(json!({ "changed": changed }).to_string())
}
