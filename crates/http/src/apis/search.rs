//! `/search`: full-text search across tickets and equipment.

use fixdesk_usecases::domain::{FieldError, Page, SearchQuery, SearchScope, SearchTerms};
use poem::web::Data;
use poem_openapi::{OpenApi, param::Query, payload::Json};

use super::{Tag, exports::Accepted, json_list};
use crate::{
    Service,
    dto::{
        params::{located, query_value},
        search::SearchHitOut,
    },
    error::ApiResult,
    extract::{AdminOnly, Authed},
};

#[derive(Debug)]
pub struct SearchApi;

#[OpenApi(tag = "Tag::Search")]
impl SearchApi {
    /// Tickets and equipment matching `q`, best first, one hit per ticket or item with the
    /// stretch of text that matched. Words are matched in any of their forms (Russian and
    /// English); `123` or `#123` finds ticket 123, a room number its tickets. Requesters find
    /// their own visible tickets (never by an internal note) and the equipment; staff find
    /// everything. `scope`: `all` (default), `tickets` or `equipment`.
    #[oai(path = "/search", method = "get")]
    async fn search(
        &self,
        service: Data<&Service>,
        auth: Authed,
        q: Query<Option<String>>,
        scope: Query<Option<String>>,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<SearchHitOut>>> {
        let Some(terms) = q.0.as_deref().and_then(SearchTerms::parse) else {
            let missing = FieldError::new("q", "missing", "Type something to search for");
            return Err(located("query", "q", missing, q.0.as_deref().unwrap_or("")));
        };
        let scope = query_value("scope", scope.0, |s| {
            SearchScope::parse(s)
                .ok_or_else(|| FieldError::new("scope", "enum", "One of all, tickets, equipment"))
        })?
        .unwrap_or_default();
        let query = SearchQuery {
            terms,
            scope,
            page: Page::new(skip.0.unwrap_or(0), limit.0.unwrap_or(20).min(100)),
        };
        Ok(json_list(service.search().search(&auth.0, query).await?))
    }

    /// Fill the index anew from tickets, messages and equipment, in the background (after a
    /// restore; the database's triggers keep it up to date otherwise). The job shows in
    /// `fixdesk-migrate jobs list`.
    #[oai(path = "/search/rebuild", method = "post")]
    async fn rebuild(&self, service: Data<&Service>, auth: AdminOnly) -> ApiResult<Accepted> {
        let job = service.search().rebuild(&auth.0).await?;
        Ok(Accepted::Job(Json(job.into())))
    }
}
