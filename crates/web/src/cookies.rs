//! The interface's cookies: scoped to `/ui`, hidden from scripts, not sent on cross-site
//! requests — the session, the CSRF secret before sign-in, one-shot messages, saved filters.

use poem::web::cookie::{Cookie, CookieJar, SameSite};

/// A cookie scoped to the interface, hidden from scripts, not sent on cross-site requests.
pub fn ui_cookie(name: &str, value: String) -> Cookie {
    let mut cookie = Cookie::new_with_str(name, value);
    cookie.set_path("/ui");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie
}

/// Tells the browser to drop the cookie.
pub fn expire(jar: &CookieJar, name: &str) {
    let mut cookie = ui_cookie(name, String::new());
    cookie.set_max_age(std::time::Duration::ZERO);
    jar.add(cookie);
}
