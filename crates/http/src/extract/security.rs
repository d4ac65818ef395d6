//! Bearer authentication as poem-openapi security schemes. Role gates live here, in the
//! extractor, so that 401/400/403 come before any request validation, as in the contract.

use crate::Service;
use std::sync::{Arc, Mutex};

use fixdesk_usecases::{
    ServiceError,
    domain::{Actor, DomainError, Role},
};
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

/// An admin, refused in the audit log's own words.
#[derive(Debug, SecurityScheme)]
#[oai(
    ty = "bearer",
    bearer_format = "JWT",
    rename = "bearer",
    checker = "audit_admin"
)]
pub struct AuditAdmin(pub Actor);

/// An admin.
#[derive(Debug, SecurityScheme)]
#[oai(
    ty = "bearer",
    bearer_format = "JWT",
    rename = "bearer",
    checker = "admin"
)]
pub struct AdminOnly(pub Actor);

/// Who made the request, once authenticated; read by the denial audit after the response.
#[derive(Debug, Clone, Default)]
pub struct ActorSlot(Arc<Mutex<Option<Actor>>>);

impl ActorSlot {
    fn set(&self, actor: &Actor) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(actor.clone());
        }
    }

    pub fn take(&self) -> Option<Actor> {
        self.0.lock().ok().and_then(|mut s| s.take())
    }
}

/// The actor behind a bearer token.
pub(crate) async fn authenticate_token(req: &Request, token: &str) -> Result<Actor, ApiError> {
    let service = req
        .data::<Service>()
        .ok_or_else(|| ServiceError::Internal("service missing from request data".into()))?;
    let actor = service.auth().authenticate(token).await?;
    if let Some(slot) = req.extensions().get::<ActorSlot>() {
        slot.set(&actor);
    }
    Ok(actor)
}

async fn authenticate(req: &Request, bearer: &Bearer) -> Result<Actor, ApiError> {
    authenticate_token(req, &bearer.token).await
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

async fn audit_admin(req: &Request, bearer: Bearer) -> poem::Result<Actor> {
    let actor = authenticate(req, &bearer).await?;
    if actor.role != Role::Admin {
        return Err(ApiError::from(DomainError::AuditAdminOnly).into());
    }
    Ok(actor)
}
