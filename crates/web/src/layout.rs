//! What every page shares: the header with navigation for the visitor's role, the bell with
//! the unread count, language switch, sign-out, and the one-shot message of the last form.

use askama::Template;
use fixdesk_usecases::domain::{Actor, Role};
use poem::{
    IntoResponse, Request, Response,
    http::StatusCode,
    web::{Html, cookie::Cookie},
};

use crate::{
    Service, WebError,
    clock::Clock,
    csrf,
    flash::Flash,
    i18n::{Lang, Texts},
    session::{self, PRE_SESSION_COOKIE, Session},
};

/// The frame around a page's content.
#[derive(Debug)]
pub struct Layout {
    pub t: &'static Texts,
    pub lang: Lang,
    pub user: Option<Actor>,
    pub csrf: String,
    pub unread: u64,
    pub flash: Option<Flash>,
    /// This page's path and query, where the language switch returns to.
    pub here: String,
    /// The visitor's time zone, for every time on the page.
    pub clock: Clock,
}

impl Layout {
    /// The frame for a signed-in visitor.
    pub async fn new(req: &Request, session: &Session, service: &Service) -> Self {
        // A failing count must not cost the visitor the page; the bell then shows nothing.
        let unread = service
            .notifications()
            .unread_count(&session.actor)
            .await
            .unwrap_or(0);
        let t = session.lang.texts();
        Self {
            t,
            clock: Clock::of(req, t),
            lang: session.lang,
            user: Some(session.actor.clone()),
            csrf: session.csrf(),
            unread,
            flash: Flash::take(req.cookie()),
            here: here(req),
        }
    }

    /// The frame for a visitor who has not signed in: forms use a pre-session CSRF secret,
    /// created on first sight.
    pub fn anonymous(req: &Request) -> Self {
        let lang = Lang::of(req);
        let secret = match req.cookie().get(PRE_SESSION_COOKIE) {
            Some(c) if !c.value_str().is_empty() => c.value_str().to_string(),
            _ => {
                let secret = csrf::new_secret();
                session::store(
                    req,
                    crate::cookies::ui_cookie(PRE_SESSION_COOKIE, secret.clone()),
                );
                secret
            }
        };
        Self {
            t: lang.texts(),
            clock: Clock::of(req, lang.texts()),
            lang,
            user: None,
            csrf: csrf::token_for(&secret),
            unread: 0,
            flash: Flash::take(req.cookie()),
            here: here(req),
        }
    }

    pub fn is_staff(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_staff())
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    pub fn user_name(&self) -> &str {
        self.user.as_ref().map_or("", |u| {
            u.full_name.as_deref().unwrap_or(u.username.as_str())
        })
    }

    /// The bell's accessible name: the count is in it, since the badge alone is not read out.
    pub fn bell_label(&self) -> String {
        if self.unread == 0 {
            self.t.notifications.to_string()
        } else {
            self.t
                .notifications_unread
                .replace("{}", &self.unread.to_string())
        }
    }

    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        }
    }
}

fn here(req: &Request) -> String {
    req.original_uri()
        .path_and_query()
        .map_or_else(|| "/ui/".to_string(), |p| p.as_str().to_string())
}

/// Renders a page template into a response.
pub fn page(template: &impl Template) -> Result<Response, WebError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| WebError::Service(fixdesk_usecases::ServiceError::internal(e)))
}

/// A page that only says what went wrong (and links home).
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub t: &'static Texts,
    pub status: u16,
    pub message: String,
}

impl ErrorPage {
    pub fn render(status: StatusCode, t: &'static Texts, message: String) -> Response {
        let page = ErrorPage {
            t,
            status: status.as_u16(),
            message,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| format!("{} {}", status.as_u16(), status));
        Html(body).with_status(status).into_response()
    }
}

/// The browser's session cookie for a freshly issued token.
pub fn session_cookie(token: String) -> Cookie {
    crate::cookies::ui_cookie(session::SESSION_COOKIE, token)
}
