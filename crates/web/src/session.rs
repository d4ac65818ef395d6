//! Browser sessions: the API's session token kept in an HttpOnly, SameSite cookie, turned back
//! into an actor on each request (through the service's session cache, so no database round
//! trip), plus the headers that keep pages from being framed, sniffed or cached.

use fixdesk_edge::client_of;
use fixdesk_usecases::{
    ServiceError,
    domain::{Actor, ClientInfo, DomainError, Role},
};
use poem::{FromRequest, Request, RequestBody, http::Method, web::cookie::Cookie};

use crate::{Service, WebConfig, WebError, cookies::expire, csrf, i18n::Lang};

pub const SESSION_COOKIE: &str = "fixdesk_session";
/// Holds the pre-session CSRF secret of a visitor who has not signed in yet.
pub const PRE_SESSION_COOKIE: &str = "fixdesk_pre";

/// Stores a cookie with the `Secure` flag the configuration asks for.
pub fn store(req: &Request, mut cookie: Cookie) {
    let secure = req
        .data::<WebConfig>()
        .map(|c| c.secure_cookies)
        .unwrap_or(true);
    cookie.set_secure(secure);
    req.cookie().add(cookie);
}

/// A signed-in visitor. Extracting it from a request without a valid session sends the
/// browser to the sign-in page (and back here afterwards).
#[derive(Debug)]
pub struct Session {
    pub actor: Actor,
    token: String,
    pub client: ClientInfo,
    pub lang: Lang,
}

impl Session {
    /// The CSRF token this session's forms carry.
    pub fn csrf(&self) -> String {
        csrf::token_for(&self.token)
    }

    /// For pages that only offer what staff may do (the service checks again on submit).
    pub fn require_staff(&self) -> Result<(), WebError> {
        if self.actor.role.is_staff() {
            Ok(())
        } else {
            Err(ServiceError::from(DomainError::StaffRequired).into())
        }
    }

    /// For pages that only offer what admins may do (the service checks again on submit).
    pub fn require_admin(&self) -> Result<(), WebError> {
        if self.actor.role == Role::Admin {
            Ok(())
        } else {
            Err(ServiceError::from(DomainError::AdminRequired).into())
        }
    }

    /// Does a form's action once its CSRF token checks out (the action has not started: a
    /// future runs only when awaited); a refusal is shown on the page `back`.
    pub async fn act<T>(
        &self,
        csrf: &str,
        back: impl Into<String>,
        action: impl std::future::Future<Output = Result<T, ServiceError>>,
    ) -> Result<T, WebError> {
        self.check_csrf(csrf)?;
        action.await.map_err(WebError::back(back))
    }

    /// Does a form's change like [`Session::act`] and returns to `page` saying `text` (or,
    /// refused, why): the whole of most admin forms.
    pub async fn act_on_page<T>(
        &self,
        req: &poem::Request,
        csrf: &str,
        page: &str,
        text: &str,
        action: impl std::future::Future<Output = Result<T, ServiceError>>,
    ) -> Result<poem::Response, WebError> {
        self.act(csrf, page, action).await?;
        Ok(crate::flash::done(req, text, page))
    }

    /// Refuses a form that does not carry this session's CSRF token.
    pub fn check_csrf(&self, presented: &str) -> Result<(), WebError> {
        if csrf::matches(&self.token, presented) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }
}

/// Where to come back to after signing in: this page, if it is one a GET can show again;
/// for a form sent after the session ended, the page the form was on (its `Referer`, when that
/// is a page of this interface), where the page's script puts back what was typed.
fn return_path(req: &Request) -> String {
    if req.method() == Method::GET {
        return req
            .original_uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/ui/".into());
    }
    req.headers()
        .get(poem::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<poem::http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()))
        .filter(|p| p.starts_with("/ui/"))
        .unwrap_or_else(|| "/ui/".into())
}

impl<'a> FromRequest<'a> for Session {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let next = return_path(req);
        let Some(token) = req
            .cookie()
            .get(SESSION_COOKIE)
            .map(|c| c.value_str().to_string())
        else {
            return Err(WebError::SignIn {
                expired: false,
                next,
                form: req.method() != Method::GET,
            }
            .into());
        };
        let service = req
            .data::<Service>()
            .ok_or_else(|| WebError::from(ServiceError::internal(MissingService)))?;
        match service.auth().authenticate(&token).await {
            Ok(actor) => Ok(Session {
                actor,
                token,
                client: client_of(req),
                lang: Lang::of(req),
            }),
            Err(ServiceError::InvalidToken | ServiceError::NotAuthenticated) => {
                expire(req.cookie(), SESSION_COOKIE);
                Err(WebError::SignIn {
                    expired: true,
                    next,
                    form: req.method() != Method::GET,
                }
                .into())
            }
            Err(e) => Err(WebError::from(e).into()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the web routes were built without a service")]
struct MissingService;
