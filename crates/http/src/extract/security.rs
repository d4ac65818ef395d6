//! Bearer authentication as poem-openapi security schemes. Role gates live here, in the
//! extractor, so that 401/400/403 come before any request validation, as in the contract.

use crate::Service;
use fixdesk_usecases::{ServiceError, domain::Actor};
use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};

use crate::error::ApiError;

/// Any signed-in, active user.
#[derive(Debug, SecurityScheme)]
#[oai(
    ty = "bearer",
    bearer_format = "JWT",
    rename = "bearer",
    checker = "any_user"
)]
pub struct Authed(pub Actor);

/// An agent or an admin.
#[derive(Debug, SecurityScheme)]
#[oai(
    ty = "bearer",
    bearer_format = "JWT",
    rename = "bearer",
    checker = "staff"
)]
pub struct StaffOnly(pub Actor);

/// An admin.
#[derive(Debug, SecurityScheme)]
#[oai(
    ty = "bearer",
    bearer_format = "JWT",
    rename = "bearer",
    checker = "admin"
)]
pub struct AdminOnly(pub Actor);

async fn authenticate(req: &Request, bearer: &Bearer) -> Result<Actor, ApiError> {
    let service = req
        .data::<Service>()
        .ok_or_else(|| ServiceError::Internal("service missing from request data".into()))?;
    Ok(service.auth().authenticate(&bearer.token).await?)
}

async fn any_user(req: &Request, bearer: Bearer) -> poem::Result<Actor> {
    Ok(authenticate(req, &bearer).await?)
}

async fn admin(req: &Request, bearer: Bearer) -> poem::Result<Actor> {
    let actor = authenticate(req, &bearer).await?;
    actor.require_admin().map_err(ApiError::from)?;
    Ok(actor)
}

async fn staff(req: &Request, bearer: Bearer) -> poem::Result<Actor> {
    let actor = authenticate(req, &bearer).await?;
    actor.require_staff().map_err(ApiError::from)?;
    Ok(actor)
}
