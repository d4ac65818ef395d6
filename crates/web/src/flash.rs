//! One-shot messages shown on the next page after a form is handled ("saved", or why it was
//! refused). They travel in a short-lived cookie, so a redirect after POST keeps them.

use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use poem::web::cookie::CookieJar;

const COOKIE: &str = "fixdesk_flash";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub ok: bool,
    pub text: String,
}

impl Flash {
    pub fn ok(text: impl Into<String>) -> Self {
        Self {
            ok: true,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self {
            ok: false,
            text: text.into(),
        }
    }

    /// Leaves the message for the next page.
    pub fn store(&self, jar: &CookieJar) {
        let value = format!(
            "{}{}",
            if self.ok { 'o' } else { 'e' },
            utf8_percent_encode(&self.text, NON_ALPHANUMERIC)
        );
        let mut cookie = crate::session::ui_cookie(COOKIE, value);
        cookie.set_max_age(std::time::Duration::from_secs(60));
        jar.add(cookie);
    }

    /// The waiting message, if any, which is then gone.
    pub fn take(jar: &CookieJar) -> Option<Self> {
        let raw = jar.get(COOKIE)?.value_str().to_string();
        crate::session::expire(jar, COOKIE);
        let ok = raw.starts_with('o');
        let text = percent_decode_str(raw.get(1..)?)
            .decode_utf8()
            .ok()?
            .into_owned();
        Some(Self { ok, text })
    }
}

/// Goes to `to` (303), where `text` is shown once as a success.
pub fn done(req: &poem::Request, text: impl Into<String>, to: &str) -> poem::Response {
    Flash::ok(text).store(req.cookie());
    poem::IntoResponse::into_response(poem::web::Redirect::see_other(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_survives_the_cookie_once() {
        let jar = CookieJar::default();
        Flash::error("Заявка закрыта; 100% sure").store(&jar);
        let back = Flash::take(&jar);
        assert_eq!(back, Some(Flash::error("Заявка закрыта; 100% sure")));
    }
}
