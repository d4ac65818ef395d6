//! Full-text search: the actor's query against the index, within what they may see; and the
//! index's rebuild (a job, so a million tickets are not indexed inside a request).

use std::sync::Arc;

use fixdesk_domain::{Actor, DomainError, Job, JobKind, Role, SearchHit, SearchQuery};
use fixdesk_repository::{jobs, search};
use fixdesk_usecases::{SearchUseCases, ServiceError, async_trait};

use crate::{clock, context::Context};

#[derive(Debug, Clone)]
pub struct Search {
    ctx: Arc<Context>,
}

impl Search {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

#[async_trait]
impl SearchUseCases for Search {
    async fn search(
        &self,
        actor: &Actor,
        query: SearchQuery,
    ) -> Result<Vec<SearchHit>, ServiceError> {
        fixdesk_domain::text::plain("q", &query.terms.exact).map_err(DomainError::from)?;
        let requester = (actor.role == Role::User).then_some(actor.id);
        Ok(search::find(self.ctx.db.reader(), &query, requester).await?)
    }

    async fn rebuild(&self, actor: &Actor) -> Result<Job, ServiceError> {
        actor.require_admin()?;
        let uow = self.ctx.db.begin_write().await?;
        let job = jobs::enqueue(
            uow.conn(),
            JobKind::SearchRebuild,
            String::new(),
            Some(actor.id),
            clock::wall(),
        )
        .await?;
        uow.commit().await?;
        Ok(job)
    }
}

/// The rebuild job's result.
pub(crate) async fn rebuild(ctx: &Context) -> Result<String, ServiceError> {
    let documents = reindex(ctx).await?;
    Ok(serde_json::json!({"documents": documents}).to_string())
}

/// The index emptied and filled from the tables in one unit of work (the triggers keep it
/// from then on); how many documents it holds.
pub(crate) async fn reindex(ctx: &Context) -> Result<u64, ServiceError> {
    let uow = ctx.db.begin_write().await?;
    let documents = search::rebuild(uow.conn()).await?;
    uow.commit().await?;
    Ok(documents)
}
