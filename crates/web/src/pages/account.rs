//! The visitor's own account: time zone and language (kept on the account, so every browser
//! follows them), and changing the password.

use askama::Template;
use fixdesk_usecases::domain::{Language, PreferencesChange, TimeZone};
use poem::{
    IntoResponse, Request, Response, handler,
    http::StatusCode,
    web::{Data, Form, Redirect},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    flash::done,
    form::invalid,
    layout::{Layout, page},
    preferences,
    session::Session,
    view::{self, Choice},
};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    username: String,
    role: &'static str,
    zones: Vec<Choice>,
    languages: Vec<Choice>,
    password_rules: String,
}

/// Every zone of the time-zone database, by name.
pub fn zone_choices(current: &str) -> Vec<Choice> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| Choice::new(z.name(), z.name(), current))
        .collect()
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    page(&AccountPage {
        role: view::role_label(t, session.actor.role),
        username: session.actor.username.clone(),
        zones: zone_choices(l.clock.zone.name()),
        languages: vec![
            Choice::new("ru", "Русский", l.lang.code()),
            Choice::new("en", "English", l.lang.code()),
        ],
        password_rules: view::password_rules(t),
        l,
    })
}

/// The password page of earlier versions is part of the account page now.
#[handler]
pub fn password_page() -> Redirect {
    Redirect::see_other("/ui/account")
}

#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    language: String,
}

#[handler]
pub async fn save(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    let parsed = (|| {
        Ok(PreferencesChange {
            time_zone: Some(TimeZone::parse(&form.time_zone)?),
            language: Some(Language::parse(&form.language)?),
            ..PreferencesChange::default()
        })
    })()
    .map_err(invalid);
    let prefs = session
        .act(&form.csrf, "/ui/account", async {
            service
                .users()
                .set_preferences(&session.actor, parsed?, &session.client)
                .await
        })
        .await?;
    preferences::apply(req, &prefs);
    let lang = prefs
        .language
        .and_then(|l| crate::i18n::Lang::parse(l.as_str()))
        .unwrap_or(session.lang);
    Ok(done(req, lang.texts().settings_saved, "/ui/account"))
}

#[derive(Debug, Deserialize)]
pub struct ZoneReport {
    #[serde(default)]
    csrf: String,
    time_zone: String,
}

/// The browser reports its zone once (the page's script, when the visitor's zone is not
/// known yet). An account that chose a zone keeps it; one that did not takes the browser's.
#[handler]
pub async fn report_zone(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<ZoneReport>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let reported = TimeZone::parse(&form.time_zone).map_err(|e| WebError::from(invalid(e)))?;
    let users = service.users();
    let mut prefs = users.preferences(&session.actor).await?;
    if prefs.time_zone.is_none() {
        let change = PreferencesChange {
            time_zone: Some(reported),
            learnt: true,
            ..PreferencesChange::default()
        };
        prefs = users
            .set_preferences(&session.actor, change, &session.client)
            .await?;
    }
    preferences::apply(req, &prefs);
    Ok(StatusCode::NO_CONTENT.into_response())
}
