use fixdesk_usecases::domain::{CategoryId, Page};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{Tag, json_list};
use crate::{
    Service,
    dto::categories::{CategoryOut, CreateCategoryIn, UpdateCategoryIn},
    error::ApiResult,
    extract::{AdminOnly, Authed, Client, JsonBody, path_id},
};

#[derive(Debug)]
pub struct CategoriesApi;

#[derive(Debug, ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Category(Json<CategoryOut>),
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(tag = "Tag::Categories")]
impl CategoriesApi {
    /// Categories in id order; `show_all=true` includes inactive ones.
    #[oai(path = "/categories/", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: Authed,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
        show_all: Query<Option<bool>>,
    ) -> ApiResult<Json<Vec<CategoryOut>>> {
        let page = Page::new(skip.0.unwrap_or(0), limit.0.unwrap_or(100));
        let list = service
            .categories()
            .list(&auth.0, show_all.0.unwrap_or(false), page)
            .await?;
        Ok(json_list(list))
    }

    #[oai(path = "/categories/:category_id", method = "get")]
    async fn get(
        &self,
        service: Data<&Service>,
        auth: Authed,
        category_id: Path<String>,
    ) -> ApiResult<Json<CategoryOut>> {
        let id = CategoryId(path_id("category_id", &category_id.0)?);
        Ok(Json(service.categories().get(&auth.0, id).await?.into()))
    }

    /// Create a category (admin).
    #[oai(path = "/categories/", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        body: JsonBody<CreateCategoryIn>,
    ) -> ApiResult<Created> {
        let new = body.parse()?.into_domain()?;
        Ok(Created::Category(Json(
            service
                .categories()
                .create(&auth.0, new, &client.0)
                .await?
                .into(),
        )))
    }

    /// Change a category (admin).
    #[oai(path = "/categories/:category_id", method = "put")]
    async fn update(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        category_id: Path<String>,
        body: JsonBody<UpdateCategoryIn>,
    ) -> ApiResult<Json<CategoryOut>> {
        let id = CategoryId(path_id("category_id", &category_id.0)?);
        let changes = body.parse()?.into_domain()?;
        Ok(Json(
            service
                .categories()
                .update(&auth.0, id, changes, &client.0)
                .await?
                .into(),
        ))
    }

    /// Delete a category (admin): deactivated if tickets use it, removed otherwise.
    #[oai(path = "/categories/:category_id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        category_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = CategoryId(path_id("category_id", &category_id.0)?);
        service.categories().delete(&auth.0, id, &client.0).await?;
        Ok(Deleted::NoContent)
    }
}
