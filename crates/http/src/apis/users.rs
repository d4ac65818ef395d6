use fixdesk_usecases::domain::{Page, UserId};
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
        common::MessageOut,
        users::{ChangePasswordIn, CreateUserIn, UpdateUserIn, UserBasicOut, UserOut},
    },
    error::ApiResult,
    extract::{AdminOnly, Authed, Client, JsonBody, path_id},
};

#[derive(Debug)]
pub struct UsersApi;

#[derive(Debug, ApiResponse)]
enum Created {
    #[oai(status = 201)]
    User(Json<UserOut>),
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(tag = "Tag::Users")]
impl UsersApi {
    /// Create a user (admin).
    #[oai(path = "/users/", method = "post")]
    async fn create(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        body: JsonBody<CreateUserIn>,
    ) -> ApiResult<Created> {
        let new = body.parse()?.into_domain()?;
        let user = service.users().create(&auth.0, new, &client.0).await?;
        Ok(Created::User(Json(user.into())))
    }

    /// List users in id order (admin).
    #[oai(path = "/users/", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<UserOut>>> {
        let page = Page::new(skip.0.unwrap_or(0), limit.0.unwrap_or(100));
        let users = service.users().list(&auth.0, page).await?;
        Ok(json_list(users))
    }

    /// Every user's id, name and role, for showing who filed or works a ticket.
    #[oai(path = "/users/basic", method = "get")]
    async fn basic(
        &self,
        service: Data<&Service>,
        auth: Authed,
    ) -> ApiResult<Json<Vec<UserBasicOut>>> {
        let users = service.users().directory(&auth.0).await?;
        Ok(json_list(users))
    }

    /// The signed-in user (served at `/users/me/` and `/users/me`).
    #[oai(path = "/users/me", method = "get")]
    async fn me(&self, service: Data<&Service>, auth: Authed) -> ApiResult<Json<UserOut>> {
        Ok(Json(service.users().me(&auth.0).await?.into()))
    }

    /// Change the signed-in user's password; their other sessions end.
    #[oai(path = "/users/me/change-password", method = "post")]
    async fn change_password(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        body: JsonBody<ChangePasswordIn>,
    ) -> ApiResult<Json<MessageOut>> {
        let body = body.parse()?;
        service
            .users()
            .change_password(
                &auth.0,
                &body.current_password,
                &body.new_password,
                &client.0,
            )
            .await?;
        Ok(Json(MessageOut {
            message: "Пароль успешно изменен".into(),
        }))
    }

    /// One user (admin).
    #[oai(path = "/users/:user_id", method = "get")]
    async fn get(
        &self,
        service: Data<&Service>,
        auth: Authed,
        user_id: Path<String>,
    ) -> ApiResult<Json<UserOut>> {
        let id = UserId(path_id("user_id", &user_id.0)?);
        Ok(Json(service.users().get(&auth.0, id).await?.into()))
    }

    /// Change a user (admin): keys present are applied; a new password, a role change or
    /// deactivation ends the user's sessions.
    #[oai(path = "/users/:user_id", method = "put")]
    async fn update(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
        user_id: Path<String>,
        body: JsonBody<UpdateUserIn>,
    ) -> ApiResult<Json<UserOut>> {
        let id = UserId(path_id("user_id", &user_id.0)?);
        let changes = body.parse()?.into_domain()?;
        Ok(Json(
            service
                .users()
                .update(&auth.0, id, changes, &client.0)
                .await?
                .into(),
        ))
    }

    /// Delete a user (admin). Their records keep naming them.
    #[oai(path = "/users/:user_id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
        client: Client,
        user_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = UserId(path_id("user_id", &user_id.0)?);
        service.users().delete(&auth.0, id, &client.0).await?;
        Ok(Deleted::NoContent)
    }
}
