use fixdesk_usecases::domain::{CategoryId, EquipmentFilter, EquipmentId, FieldError, Page};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    Tag, json_list,
    tickets::{ListParams, TicketList},
};
use crate::{
    Service,
    dto::{
        equipment::{EquipmentIn, EquipmentOut, MaintenanceIn, MaintenanceOut},
        params::query_value,
    },
    error::ApiResult,
    extract::{Authed, Client, JsonBody, StaffOnly, path_id},
};

#[derive(Debug)]
pub struct EquipmentApi;

#[derive(Debug, ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Equipment(Json<EquipmentOut>),
}

#[derive(Debug, ApiResponse)]
enum Recorded {
    #[oai(status = 201)]
    Maintenance(Json<MaintenanceOut>),
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

#[OpenApi(tag = "Tag::Equipment")]
impl EquipmentApi {
    /// Equipment in id order. `category_id` selects the items whose type is that category's
    /// name (none if it does not exist); else `type` (or its alias `category`).
    #[oai(path = "/equipment/", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: Authed,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
        #[oai(name = "type")] kind: Query<Option<String>>,
        category: Query<Option<String>>,
        category_id: Query<Option<String>>,
        location: Query<Option<String>>,
        status: Query<Option<String>>,
        /// Part of the name, model, serial or inventory number, or location (any case).
        search: Query<Option<String>>,
        /// `true`: items with a ticket that is not closed; `false`: items without.
        has_open_tickets: Query<Option<bool>>,
    ) -> ApiResult<Json<Vec<EquipmentOut>>> {
        let category_id = query_value("category_id", category_id.0, |s| {
            s.parse::<i64>().map(CategoryId).map_err(|_| {
                FieldError::new(
                    "category_id",
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer",
                )
            })
        })?;
        let filter = EquipmentFilter {
            kind: text(kind.0).or(text(category.0)),
            location: text(location.0),
            status: text(status.0),
            search: text(search.0),
            has_open_tickets: has_open_tickets.0,
            ..Default::default()
        };
        let page = Page::new(skip.0.unwrap_or(0), limit.0.unwrap_or(100));
        Ok(json_list(
            service
                .equipment()
                .list(&auth.0, filter, category_id, page)
                .await?,
        ))
    }

    /// Equipment types in use, then common ones.
    #[oai(path = "/equipment/categories", method = "get")]
    async fn kinds(&self, service: Data<&Service>, auth: Authed) -> ApiResult<Json<Vec<String>>> {
        Ok(Json(service.equipment().kinds(&auth.0).await?))
    }

    /// Locations in use, then the usual suggestions.
    #[oai(path = "/equipment/locations", method = "get")]
    async fn locations(
        &self,
        service: Data<&Service>,
        auth: Authed,
    ) -> ApiResult<Json<Vec<String>>> {
        Ok(Json(service.equipment().locations(&auth.0).await?))
    }

    /// The items of a category; `[]` for an unknown category.
    #[oai(path = "/equipment/debug/by-category/:category_id", method = "get")]
    async fn by_category(
        &self,
        service: Data<&Service>,
        auth: Authed,
        category_id: Path<String>,
    ) -> ApiResult<Json<Vec<EquipmentOut>>> {
        let id = CategoryId(path_id("category_id", &category_id.0)?);
        Ok(json_list(
            service
                .equipment()
                .list(
                    &auth.0,
                    EquipmentFilter::default(),
                    Some(id),
                    Page::default(),
                )
                .await?,
        ))
    }

    #[oai(path = "/equipment/:equipment_id", method = "get")]
    async fn get(
        &self,
        service: Data<&Service>,
        auth: Authed,
        equipment_id: Path<String>,
    ) -> ApiResult<Json<EquipmentOut>> {
        let id = EquipmentId(path_id("equipment_id", &equipment_id.0)?);
        Ok(Json(service.equipment().get(&auth.0, id).await?.into()))
    }

    /// Add an item (staff). The type comes from `category` or `type`.
    #[oai(path = "/equipment/", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        body: JsonBody<EquipmentIn>,
    ) -> ApiResult<Created> {
        let new = body.parse()?.into_new()?;
        Ok(Created::Equipment(Json(
            service
                .equipment()
                .create(&auth.0, new, &client.0)
                .await?
                .into(),
        )))
    }

    /// Change an item (staff); keys present are applied.
    #[oai(path = "/equipment/:equipment_id", method = "put")]
    async fn update(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        equipment_id: Path<String>,
        body: JsonBody<EquipmentIn>,
    ) -> ApiResult<Json<EquipmentOut>> {
        let id = EquipmentId(path_id("equipment_id", &equipment_id.0)?);
        let changes = body.parse()?.into_changes()?;
        Ok(Json(
            service
                .equipment()
                .update(&auth.0, id, changes, &client.0)
                .await?
                .into(),
        ))
    }

    /// Remove an item (admin); one that tickets refer to is retired instead.
    #[oai(path = "/equipment/:equipment_id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        equipment_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = EquipmentId(path_id("equipment_id", &equipment_id.0)?);
        service.equipment().delete(&auth.0, id, &client.0).await?;
        Ok(Deleted::NoContent)
    }

    /// Record maintenance (staff); the item's last maintenance date follows the newest record.
    #[oai(path = "/equipment/:equipment_id/maintenance", method = "post")]
    async fn maintenance(
        &self,
        service: Data<&Service>,
        auth: StaffOnly,
        client: Client,
        equipment_id: Path<String>,
        body: JsonBody<MaintenanceIn>,
    ) -> ApiResult<Recorded> {
        let id = EquipmentId(path_id("equipment_id", &equipment_id.0)?);
        let new = body.parse()?.into_domain()?;
        Ok(Recorded::Maintenance(Json(
            service
                .equipment()
                .add_maintenance(&auth.0, id, new, &client.0)
                .await?
                .into(),
        )))
    }

    /// Maintenance records, newest first.
    #[oai(path = "/equipment/:equipment_id/history", method = "get")]
    async fn history(
        &self,
        service: Data<&Service>,
        auth: Authed,
        equipment_id: Path<String>,
    ) -> ApiResult<Json<Vec<MaintenanceOut>>> {
        let id = EquipmentId(path_id("equipment_id", &equipment_id.0)?);
        Ok(json_list(service.equipment().history(&auth.0, id).await?))
    }

    /// Tickets filed against the item (those the caller may see), newest first.
    #[oai(path = "/equipment/:equipment_id/tickets", method = "get")]
    async fn tickets(
        &self,
        service: Data<&Service>,
        auth: Authed,
        equipment_id: Path<String>,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<TicketList> {
        let id = EquipmentId(path_id("equipment_id", &equipment_id.0)?);
        let query = ListParams {
            skip: skip.0,
            limit: limit.0,
            ..Default::default()
        }
        .into_query()?;
        let page = service.equipment().tickets(&auth.0, id, query).await?;
        Ok(TicketList::Page(
            crate::written::Written(page.items.into_iter().map(Into::into).collect()),
            page.total,
        ))
    }
}
