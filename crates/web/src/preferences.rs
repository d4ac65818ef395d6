//! The account's own settings as the browser carries them: at sign-in the account's zone,
//! language and remembered list filters become cookies, so pages read them without asking the
//! database; a change is saved to the account and to the cookie together.

use fixdesk_usecases::domain::Preferences;
use poem::Request;

use crate::{clock::ZONE_COOKIE, i18n::LANG_COOKIE, session};

/// The cookie holding the ticket list's last filters (a URL query).
pub const FILTERS_COOKIE: &str = "fixdesk_filters";

const A_YEAR: std::time::Duration = std::time::Duration::from_secs(365 * 24 * 3600);

/// Stores a setting in a cookie that outlives the browser session.
pub fn remember(req: &Request, name: &str, value: &str) {
    let mut cookie = crate::cookies::ui_cookie(name, value.to_string());
    cookie.set_max_age(A_YEAR);
    session::store(req, cookie);
}

/// Puts the account's choices into the browser (those it has made; the others keep what the
/// browser had).
pub fn apply(req: &Request, prefs: &Preferences) {
    if let Some(zone) = prefs.time_zone {
        remember(req, ZONE_COOKIE, zone.name());
    }
    if let Some(lang) = prefs.language {
        remember(req, LANG_COOKIE, lang.as_str());
    }
    match prefs.ticket_filters.as_deref() {
        Some(f) if !f.is_empty() => remember(req, FILTERS_COOKIE, f),
        _ => crate::cookies::expire(req.cookie(), FILTERS_COOKIE),
    }
}
