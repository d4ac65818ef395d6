//! No query parameter of the API may carry a control character: a NUL in `search=` or a
//! filter would otherwise reach the database (PostgreSQL refuses it with an error, which
//! used to be a 500). Refused here, once, as the usual 422 list naming each parameter.

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use crate::{error::ApiError, validation::control_character};

#[derive(Debug, Clone, Copy, Default)]
pub struct PlainQuery;

impl<E: Endpoint> Middleware<E> for PlainQuery {
    type Output = PlainQueryEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        PlainQueryEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct PlainQueryEndpoint<E>(E);

impl<E: Endpoint> Endpoint for PlainQueryEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        if let Some(query) = req.uri().query() {
            // A query that does not even decode is left to the handler's own parsing.
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(query).unwrap_or_default();
            let refused: Vec<_> = pairs
                .iter()
                .flat_map(|(name, value)| {
                    let loc = || vec!["query".into(), name.as_str().into()];
                    control_character(loc(), name)
                        .into_iter()
                        .chain(control_character(loc(), value))
                })
                .collect();
            if !refused.is_empty() {
                return Err(ApiError::Validation(refused).into());
            }
        }
        self.0.call(req).await.map(IntoResponse::into_response)
    }
}
