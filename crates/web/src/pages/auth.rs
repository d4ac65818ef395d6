//! Signing in and out, the language switch and changing one's password.

use askama::Template;
use chrono::Utc;
use fixdesk_usecases::{
    ServiceError,
    domain::{Language, PreferencesChange},
};
use poem::{
    IntoResponse, Request, Response, handler,
    http::{HeaderValue, StatusCode, header},
    web::{Data, Form, Query, Redirect},
};
use serde::Deserialize;

use crate::{
    Service, WebError, csrf,
    flash::done,
    i18n::{LANG_COOKIE, Lang, error_text},
    layout::{Layout, page, session_cookie},
    preferences,
    session::{self, PRE_SESSION_COOKIE, SESSION_COOKIE, Session},
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    next: String,
    username: String,
    expired: bool,
    /// A form was sent after the session ended: its text is kept.
    kept: bool,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    kept: Option<String>,
}

/// Only a path of this interface is a place to return to (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/ui/") && !n.starts_with("//") && !n.contains('\\') => {
            n.to_string()
        }
        _ => "/ui/".into(),
    }
}

#[handler]
pub async fn login_page(
    req: &Request,
    Query(q): Query<LoginQuery>,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    if let Some(token) = req.cookie().get(SESSION_COOKIE)
        && service.auth().authenticate(token.value_str()).await.is_ok()
    {
        return Ok(Redirect::see_other(safe_next(q.next.as_deref())).into_response());
    }
    page(&LoginPage {
        l: Layout::anonymous(req),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        expired: q.expired.as_deref() == Some("1"),
        kept: q.kept.as_deref() == Some("1"),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// Whether `presented` is the CSRF token of the visitor's pre-session or session secret.
fn anonymous_csrf_ok(req: &Request, presented: &str) -> bool {
    [PRE_SESSION_COOKIE, SESSION_COOKIE].iter().any(|name| {
        req.cookie()
            .get(name)
            .is_some_and(|c| csrf::matches(c.value_str(), presented))
    })
}

#[handler]
pub async fn login(
    req: &Request,
    Data(service): Data<&Service>,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    if !anonymous_csrf_ok(req, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let client = fixdesk_edge::client_of(req);
    match service
        .auth()
        .login(form.username.trim(), &form.password, &client)
        .await
    {
        Ok(issued) => {
            let mut cookie = session_cookie(issued.access_token.clone());
            let left = (issued.expires_at - Utc::now().naive_utc()).num_seconds();
            cookie.set_max_age(std::time::Duration::from_secs(left.max(0).unsigned_abs()));
            session::store(req, cookie);
            crate::cookies::expire(req.cookie(), PRE_SESSION_COOKIE);
            // The account's zone, language and list filters follow it to this browser. Not
            // having them is no reason to refuse the sign-in.
            if let Ok(actor) = service.auth().authenticate(&issued.access_token).await
                && let Ok(prefs) = service.users().preferences(&actor).await
            {
                preferences::apply(req, &prefs);
            }
            Ok(Redirect::see_other(safe_next(form.next.as_deref())).into_response())
        }
        Err(
            e @ (ServiceError::BadCredentials
            | ServiceError::InactiveUser
            | ServiceError::TooManyAttempts { .. }),
        ) => {
            let l = Layout::anonymous(req);
            let status = match e {
                ServiceError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
                ServiceError::InactiveUser => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNAUTHORIZED,
            };
            let mut resp = page(&LoginPage {
                error: Some(error_text(&e, l.lang).into_owned()),
                l,
                next: safe_next(form.next.as_deref()),
                username: form.username,
                expired: false,
                kept: false,
            })?;
            resp.set_status(status);
            if let ServiceError::TooManyAttempts { retry_after_secs } = e {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

#[handler]
pub async fn logout(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    service
        .auth()
        .logout(&session.actor, &session.client)
        .await?;
    crate::cookies::expire(req.cookie(), SESSION_COOKIE);
    Ok(Redirect::see_other("/ui/login").into_response())
}

#[derive(Debug, Deserialize)]
pub struct LangForm {
    #[serde(default)]
    csrf: String,
    lang: String,
    #[serde(default)]
    back: Option<String>,
}

/// Switches the language; a signed-in visitor's account remembers the choice.
#[handler]
pub async fn switch_language(
    req: &Request,
    Data(service): Data<&Service>,
    Form(form): Form<LangForm>,
) -> Result<Response, WebError> {
    if !anonymous_csrf_ok(req, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let lang = Lang::parse(&form.lang).ok_or_else(|| WebError::BadForm("lang".into()))?;
    if let Some(token) = req.cookie().get(SESSION_COOKIE)
        && let Ok(actor) = service.auth().authenticate(token.value_str()).await
    {
        let change = PreferencesChange {
            language: Language::parse(lang.code()).ok(),
            ..PreferencesChange::default()
        };
        let client = fixdesk_edge::client_of(req);
        service
            .users()
            .set_preferences(&actor, change, &client)
            .await?;
    }
    preferences::remember(req, LANG_COOKIE, lang.code());
    Ok(Redirect::see_other(safe_next(form.back.as_deref())).into_response())
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    current: String,
    /// The new password (named like the field the service's complaints name).
    password: String,
}

#[handler]
pub async fn change_password(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    session
        .act(
            &form.csrf,
            "/ui/account",
            service.users().change_password(
                &session.actor,
                &form.current,
                &form.password,
                &session.client,
            ),
        )
        .await?;
    Ok(done(
        req,
        session.lang.texts().password_changed,
        "/ui/account",
    ))
}
