//! `/tickets/…` and its duplicate `/async-tickets/async…` (one implementation behind both).

use chrono::NaiveDateTime;
use fixdesk_usecases::domain::{
    Actor, CategoryId, ClientInfo, EquipmentId, Page, Ticket, TicketFilter, TicketId, TicketQuery,
    TicketSort, TicketStatus, UserId,
};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{Tag, json_list};
use crate::{
    Service,
    dto::{
        categories::CategoryOut,
        params::{date_or_datetime, path_value, query_value},
        tickets::{
            CountOut, CreateTicketIn, MergeIn, MessageIn, TicketMessageOut, TicketOut,
            TimelineEntryOut, UpdateTicketIn,
        },
    },
    error::ApiResult,
    extract::{Authed, Client, JsonBody, StaffOnly, path_id},
    written::Written,
};

#[derive(Debug, ApiResponse)]
pub enum Created {
    #[oai(status = 201)]
    Ticket(Written<TicketOut>),
}

#[derive(Debug, ApiResponse)]
pub enum PostedMessage {
    #[oai(status = 201)]
    Message(Json<TicketMessageOut>),
}

#[derive(Debug, ApiResponse)]
pub enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

#[derive(Debug, ApiResponse)]
pub enum TicketList {
    /// The page; `X-Total-Count` says how many tickets match in all.
    #[oai(status = 200)]
    Page(
        Written<Vec<TicketOut>>,
        #[oai(header = "X-Total-Count")] u64,
    ),
}

/// The list endpoint's query, shared by both routes.
#[derive(Debug, Default)]
pub struct ListParams {
    pub skip: Option<i64>,
    pub limit: Option<i64>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub category_id: Option<i64>,
    pub assigned_to_id: Option<i64>,
    pub creator_id: Option<i64>,
    pub equipment_id: Option<i64>,
    pub search: Option<String>,
    pub sort: Option<String>,
    pub due_after: Option<String>,
    pub due_before: Option<String>,
}

impl ListParams {
    pub fn into_query(self) -> ApiResult<TicketQuery> {
        Ok(TicketQuery {
            filter: TicketFilter {
                status: query_value("status", self.status, str::parse)?,
                priority: query_value("priority", self.priority, str::parse)?,
                category_id: self.category_id.map(CategoryId),
                assigned_to_id: self.assigned_to_id.map(UserId),
                creator_id: self.creator_id.map(UserId),
                equipment_id: self.equipment_id.map(EquipmentId),
                search: self.search.filter(|s| !s.trim().is_empty()),
                due_between: due_window(self.due_after, self.due_before)?,
                ..TicketFilter::default()
            },
            sort: query_value("sort", self.sort, str::parse::<TicketSort>)?.unwrap_or_default(),
            page: Page::new(self.skip.unwrap_or(0), self.limit.unwrap_or(100)),
            count_limit: None,
        })
    }
}

/// The `due_after`/`due_before` window of open tickets' resolution due times.
fn due_window(
    after: Option<String>,
    before: Option<String>,
) -> ApiResult<Option<(Option<NaiveDateTime>, NaiveDateTime)>> {
    let after = query_value("due_after", after, |v| date_or_datetime("due_after", v))?;
    let before = query_value("due_before", before, |v| date_or_datetime("due_before", v))?;
    // Without an end, the last moment every database stores.
    let end_of_time = chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .unwrap_or_default();
    Ok(match (after, before) {
        (None, None) => None,
        (after, before) => Some((after, before.unwrap_or(end_of_time))),
    })
}

pub async fn list(service: &Service, actor: &Actor, params: ListParams) -> ApiResult<TicketList> {
    let page = service.tickets().list(actor, params.into_query()?).await?;
    let items = page.items.into_iter().map(TicketOut::from).collect();
    Ok(TicketList::Page(Written(items), page.total))
}

/// A ticket in its wire shape (with its clocks as the service read them, for staff).
pub(super) fn shown(t: Ticket) -> ApiResult<Written<TicketOut>> {
    Ok(Written(t.into()))
}

pub async fn create(
    service: &Service,
    actor: &Actor,
    client: &ClientInfo,
    body: JsonBody<CreateTicketIn>,
) -> ApiResult<Created> {
    let new = body.parse()?.into_domain()?;
    let t = service.tickets().create(actor, new, client).await?;
    Ok(Created::Ticket(shown(t)?))
}

pub async fn get(service: &Service, actor: &Actor, raw_id: &str) -> ApiResult<Written<TicketOut>> {
    let id = TicketId(path_id("ticket_id", raw_id)?);
    let t = service.tickets().get(actor, id).await?;
    shown(t)
}

pub async fn update(
    service: &Service,
    actor: &Actor,
    client: &ClientInfo,
    raw_id: &str,
    body: JsonBody<UpdateTicketIn>,
) -> ApiResult<Written<TicketOut>> {
    let id = TicketId(path_id("ticket_id", raw_id)?);
    let changes = body.parse()?.into_domain()?;
    let t = service.tickets().update(actor, id, changes, client).await?;
    shown(t)
}

#[derive(Debug)]
pub struct TicketsApi;

#[OpenApi(tag = "Tag::Tickets")]
impl TicketsApi {
    /// File a ticket.
    #[oai(path = "/tickets/", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        body: JsonBody<CreateTicketIn>,
    ) -> ApiResult<Created> {
        create(&service, &auth.0, &client.0, body).await
    }

    /// Tickets the caller may see, newest first by default. Filters combine; `search` looks in
    /// title and description; `sort` is a column, `-column` for descending.
    #[oai(path = "/tickets/", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: Authed,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
        status: Query<Option<String>>,
        priority: Query<Option<String>>,
        category_id: Query<Option<i64>>,
        assigned_to_id: Query<Option<i64>>,
        creator_id: Query<Option<i64>>,
        equipment_id: Query<Option<i64>>,
        search: Query<Option<String>>,
        sort: Query<Option<String>>,
        due_after: Query<Option<String>>,
        due_before: Query<Option<String>>,
    ) -> ApiResult<TicketList> {
        let params = ListParams {
            due_after: due_after.0,
            due_before: due_before.0,
            skip: skip.0,
            limit: limit.0,
            status: status.0,
            priority: priority.0,
            category_id: category_id.0,
            assigned_to_id: assigned_to_id.0,
            creator_id: creator_id.0,
            equipment_id: equipment_id.0,
            search: search.0,
            sort: sort.0,
        };
        list(&service, &auth.0, params).await
    }

    /// Active ticket categories (the route the old service meant to have but shadowed).
    #[oai(path = "/tickets/categories", method = "get")]
    async fn categories(
        &self,
        service: Data<&Service>,
        auth: Authed,
    ) -> ApiResult<Json<Vec<CategoryOut>>> {
        let list = service
            .categories()
            .list(&auth.0, false, Page::default())
            .await?;
        Ok(json_list(list))
    }

    #[oai(path = "/tickets/:ticket_id", method = "get")]
    async fn get(
        &self,
        service: Data<&Service>,
        auth: Authed,
        ticket_id: Path<String>,
    ) -> ApiResult<Written<TicketOut>> {
        get(&service, &auth.0, &ticket_id.0).await
    }

    /// Change a ticket. Users edit their own while it is new; staff everything they work.
    #[oai(path = "/tickets/:ticket_id", method = "put")]
    async fn update(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
        body: JsonBody<UpdateTicketIn>,
    ) -> ApiResult<Written<TicketOut>> {
        update(&service, &auth.0, &client.0, &ticket_id.0, body).await
    }

    /// Admins delete a ticket; its creator hides it from themself.
    #[oai(path = "/tickets/:ticket_id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        service.tickets().delete(&auth.0, id, &client.0).await?;
        Ok(Deleted::NoContent)
    }

    /// Assign to an active agent or admin (staff).
    #[oai(path = "/tickets/:ticket_id/assign/:agent_id", method = "put")]
    async fn assign(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        ticket_id: Path<String>,
        agent_id: Path<String>,
    ) -> ApiResult<Written<TicketOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let agent = UserId(path_id("agent_id", &agent_id.0)?);
        let t = service
            .tickets()
            .assign(&auth.0, id, agent, &client.0)
            .await?;
        shown(t)
    }

    /// Change the status (staff), following the workflow.
    #[oai(path = "/tickets/:ticket_id/status/:status", method = "put")]
    async fn set_status(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        ticket_id: Path<String>,
        status: Path<String>,
    ) -> ApiResult<Written<TicketOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let status = path_value("status", &status.0, str::parse::<TicketStatus>)?;
        let t = service
            .tickets()
            .set_status(&auth.0, id, status, &client.0)
            .await?;
        shown(t)
    }

    /// Take the ticket (staff). Of two taking it at once, the second gets 409.
    #[oai(path = "/tickets/:ticket_id/assign", method = "post")]
    async fn claim(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
    ) -> ApiResult<Written<TicketOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let t = service.tickets().claim(&auth.0, id, &client.0).await?;
        shown(t)
    }

    /// Close: the creator their own ticket, staff the tickets they work.
    #[oai(path = "/tickets/:ticket_id/close", method = "post")]
    async fn close(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
    ) -> ApiResult<Written<TicketOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let t = service.tickets().close(&auth.0, id, &client.0).await?;
        shown(t)
    }

    /// Close with a final message, which becomes the resolution if there is none (staff).
    #[oai(path = "/tickets/:ticket_id/close-with-message", method = "post")]
    async fn close_with_message(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
        body: JsonBody<MessageIn>,
    ) -> ApiResult<Written<TicketOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let body = body.parse()?;
        let t = service
            .tickets()
            .close_with_message(&auth.0, id, body.message, &client.0)
            .await?;
        shown(t)
    }

    /// Close this ticket as a duplicate of `into` (staff who may work it): it links to the
    /// kept ticket, whose requester and followers now include this one's. Answers the kept
    /// ticket. 400 for itself or an unknown ticket, 409 when either is closed or `into` was
    /// itself merged away.
    #[oai(path = "/tickets/:ticket_id/merge", method = "post")]
    async fn merge(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        ticket_id: Path<String>,
        body: JsonBody<MergeIn>,
    ) -> ApiResult<Written<TicketOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let into = TicketId(body.parse()?.into);
        let t = service
            .tickets()
            .merge(&auth.0, id, into, &client.0)
            .await?;
        shown(t)
    }

    /// Join an open ticket about an item ("the same problem here"): read and write its thread
    /// as its requester does and hear of its progress. Joining twice changes nothing.
    #[oai(path = "/tickets/:ticket_id/follow", method = "post")]
    async fn follow(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
    ) -> ApiResult<Written<TicketOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let t = service.tickets().follow(&auth.0, id, &client.0).await?;
        shown(t)
    }

    /// Stop following the ticket.
    #[oai(path = "/tickets/:ticket_id/follow", method = "delete")]
    async fn unfollow(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        service.tickets().unfollow(&auth.0, id, &client.0).await?;
        Ok(Deleted::NoContent)
    }

    /// The ticket's thread, oldest first.
    #[oai(path = "/tickets/:ticket_id/messages", method = "get")]
    async fn messages(
        &self,
        service: Data<&Service>,
        auth: Authed,
        ticket_id: Path<String>,
    ) -> ApiResult<Json<Vec<TicketMessageOut>>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        Ok(json_list(service.tickets().messages(&auth.0, id).await?))
    }

    /// Write to the thread (the creator and staff).
    #[oai(path = "/tickets/:ticket_id/messages", method = "post")]
    async fn post_message(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
        body: JsonBody<MessageIn>,
    ) -> ApiResult<PostedMessage> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        let (text, internal) = body.parse()?.into_domain()?;
        Ok(PostedMessage::Message(Json(
            service
                .tickets()
                .post_message(&auth.0, id, text, internal, &client.0)
                .await?
                .into(),
        )))
    }

    /// The ticket's story, oldest first: filing, messages (and, for staff, internal notes),
    /// files, status, assignee, priority and waiting changes, and (staff) service-level events.
    #[oai(path = "/tickets/:ticket_id/timeline", method = "get")]
    async fn timeline(
        &self,
        service: Data<&Service>,
        auth: Authed,
        ticket_id: Path<String>,
    ) -> ApiResult<Json<Vec<TimelineEntryOut>>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        Ok(json_list(service.tickets().timeline(&auth.0, id).await?))
    }

    #[oai(path = "/tickets/:ticket_id/messages/count", method = "get")]
    async fn message_count(
        &self,
        service: Data<&Service>,
        auth: Authed,
        ticket_id: Path<String>,
    ) -> ApiResult<Json<CountOut>> {
        let id = TicketId(path_id("ticket_id", &ticket_id.0)?);
        Ok(Json(CountOut {
            count: service.tickets().message_count(&auth.0, id).await?,
        }))
    }
}

/// The old service's second ticket API. Same use cases, same rules.
#[derive(Debug)]
pub struct AsyncTicketsApi;

#[OpenApi(tag = "Tag::Tickets")]
impl AsyncTicketsApi {
    #[oai(path = "/async-tickets/async", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        body: JsonBody<CreateTicketIn>,
    ) -> ApiResult<Created> {
        create(&service, &auth.0, &client.0, body).await
    }

    #[oai(path = "/async-tickets/async", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: Authed,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
        status: Query<Option<String>>,
    ) -> ApiResult<TicketList> {
        list(
            &service,
            &auth.0,
            ListParams {
                skip: skip.0,
                limit: limit.0,
                status: status.0,
                ..Default::default()
            },
        )
        .await
    }

    #[oai(path = "/async-tickets/async/:ticket_id", method = "get")]
    async fn get(
        &self,
        service: Data<&Service>,
        auth: Authed,
        ticket_id: Path<String>,
    ) -> ApiResult<Written<TicketOut>> {
        get(&service, &auth.0, &ticket_id.0).await
    }

    #[oai(path = "/async-tickets/async/:ticket_id", method = "put")]
    async fn update(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        ticket_id: Path<String>,
        body: JsonBody<UpdateTicketIn>,
    ) -> ApiResult<Written<TicketOut>> {
        update(&service, &auth.0, &client.0, &ticket_id.0, body).await
    }
}
