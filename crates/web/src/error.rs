//! Errors of the pages, and the one place they become answers: a sign-in redirect, the form
//! page again with the reason shown, or an error page in the visitor's language. Never a stack
//! trace or a database message.

use fixdesk_edge::{retry_after, status_of};
use fixdesk_usecases::{ServiceError, domain::ErrorKind};
use poem::{
    IntoResponse, Response,
    http::{HeaderValue, StatusCode, header},
    web::Redirect,
};

use crate::{
    field_errors::FieldErrors,
    flash::Flash,
    i18n::{Lang, error_text},
    layout::ErrorPage,
};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The page needs a signed-in visitor; `next` is where to return. `form`: it was a form
    /// being sent (its text is kept by the page's script, and the sign-in page says so).
    #[error("sign in first")]
    SignIn {
        expired: bool,
        next: String,
        form: bool,
    },
    /// A state-changing request without this session's CSRF token, or from another site.
    #[error("CSRF check failed")]
    Csrf,
    /// A form that the page itself would never send (a mangled field).
    #[error("malformed form: {0}")]
    BadForm(String),
    /// A refusal to show on the page the form came from.
    #[error("refused: {error}")]
    Back { to: String, error: ServiceError },
}

impl WebError {
    /// For a form on page `to`: refusals the visitor can act on are shown there; the rest
    /// (not found, overload, faults) get their own page.
    pub fn back(to: impl Into<String>) -> impl FnOnce(ServiceError) -> WebError {
        let to = to.into();
        move |error| match &error {
            ServiceError::Domain(d) if d.kind() != ErrorKind::NotFound => {
                WebError::Back { to, error }
            }
            ServiceError::BadCredentials
            | ServiceError::InactiveUser
            | ServiceError::TooManyAttempts { .. } => WebError::Back { to, error },
            _ => WebError::Service(error),
        }
    }
}

fn see_other(to: &str) -> Response {
    Redirect::see_other(to).into_response()
}

/// The answer to a failed request to the pages.
pub fn respond(err: poem::Error, req_lang: Lang, jar: &poem::web::cookie::CookieJar) -> Response {
    let t = req_lang.texts();
    let Some(web) = err.downcast_ref::<WebError>() else {
        // Poem's own refusals: unknown path, bad path parameter, unreadable body.
        let status = err.status();
        let text = match status {
            StatusCode::NOT_FOUND => t.page_not_found,
            StatusCode::PAYLOAD_TOO_LARGE => t.too_large,
            StatusCode::METHOD_NOT_ALLOWED => t.page_not_found,
            s if s.is_server_error() => t.server_error,
            _ => t.bad_request,
        };
        if status.is_server_error() {
            tracing::error!(error = %err, "web request failed");
        }
        return ErrorPage::render(status, t, text.to_string());
    };
    match web {
        WebError::SignIn {
            expired,
            next,
            form,
        } => {
            let mut pairs = vec![("next", next.as_str())];
            if *expired {
                pairs.push(("expired", "1"));
            }
            if *form {
                pairs.push(("kept", "1"));
            }
            let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
            see_other(&format!("/ui/login?{query}"))
        }
        WebError::Csrf => ErrorPage::render(StatusCode::FORBIDDEN, t, t.csrf_failed.into()),
        WebError::BadForm(what) => ErrorPage::render(
            StatusCode::BAD_REQUEST,
            t,
            format!("{} ({what})", t.bad_request),
        ),
        WebError::Back { to, error } => {
            let (summary, fields) = FieldErrors::of(error, req_lang).into_parts();
            Flash::error(summary.unwrap_or_default(), fields).store(jar);
            see_other(to)
        }
        WebError::Service(e) => {
            if let ServiceError::Internal(_) = e {
                tracing::error!(error = ?e, "web request failed");
            }
            let mut resp = ErrorPage::render(status_of(e), t, error_text(e, req_lang).into());
            if let Some(secs) = retry_after(e) {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            resp
        }
    }
}

impl poem::error::ResponseError for WebError {
    /// The status the page will have; [`pages`] renders the page itself.
    fn status(&self) -> StatusCode {
        match self {
            WebError::Service(e) => status_of(e),
            WebError::SignIn { .. } | WebError::Back { .. } => StatusCode::SEE_OTHER,
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::BadForm(_) => StatusCode::BAD_REQUEST,
        }
    }
}
