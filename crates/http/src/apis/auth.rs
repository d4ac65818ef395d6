use poem::web::Data;
use poem_openapi::{OpenApi, payload::Json};

use super::Tag;
use crate::{
    Service,
    dto::{auth::TokenOut, common::DetailOut},
    error::ApiResult,
    extract::{Authed, Client, LoginForm},
};

#[derive(Debug)]
pub struct AuthApi;

#[OpenApi(tag = "Tag::Auth")]
impl AuthApi {
    /// Sign in with username and password (OAuth2 password flow); returns a bearer token.
    #[oai(path = "/auth/token", method = "post")]
    async fn token(
        &self,
        service: Data<&Service>,
        client: Client,
        form: LoginForm,
    ) -> ApiResult<Json<TokenOut>> {
        let creds = form.credentials()?;
        let token = service
            .auth()
            .login(&creds.username, &creds.password, &client.0)
            .await?;
        Ok(Json(TokenOut {
            access_token: token.access_token,
            token_type: "bearer".into(),
        }))
    }

    /// End the current session; its token stops working at once.
    #[oai(path = "/auth/logout", method = "post")]
    async fn logout(
        &self,
        service: Data<&Service>,
        auth: Authed,
        client: Client,
    ) -> ApiResult<Json<DetailOut>> {
        service.auth().logout(&auth.0, &client.0).await?;
        Ok(Json(DetailOut {
            detail: "Successfully logged out".into(),
        }))
    }
}
