//! Audits refused requests: every 403 answered to a signed-in user leaves an `ACCESS_DENIED`
//! row naming who tried what. The security extractor records the actor in a slot that this
//! layer reads once the response is known.

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result, http::StatusCode};

use fixdesk_edge::ClientParts;

use crate::{Service, extract::ActorSlot};

#[derive(Debug, Clone, Copy, Default)]
pub struct AuditDenials;

impl<E: Endpoint> Middleware<E> for AuditDenials {
    type Output = AuditDenialsEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        AuditDenialsEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct AuditDenialsEndpoint<E>(E);

impl<E: Endpoint> Endpoint for AuditDenialsEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        let slot = ActorSlot::default();
        req.extensions_mut().insert(slot.clone());
        let service = req.data::<Service>().cloned();
        // Kept cheaply (shared buffers, no allocation); written out only for a 403.
        let (method, uri, client) = (
            req.method().clone(),
            req.uri().clone(),
            ClientParts::of(&req),
        );
        let resp = self.0.call(req).await?.into_response();
        if resp.status() == StatusCode::FORBIDDEN
            && let (Some(actor), Some(service)) = (slot.take(), service)
            && let Err(e) = service
                .audit()
                .record_denial(&actor, method.as_str(), uri.path(), &client.info())
                .await
        {
            tracing::warn!(error = %e, "could not audit a refused request");
        }
        Ok(resp)
    }
}
