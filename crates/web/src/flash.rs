//! One-shot messages shown on the next page after a form is handled ("saved", or why it was
//! refused, field by field). They travel in a short-lived cookie, so a redirect after POST
//! keeps them; the page's script puts each field's complaint next to its field and refills
//! what the visitor typed (see `app.js`).

use poem::web::cookie::CookieJar;

const COOKIE: &str = "fixdesk_flash";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Flash {
    pub ok: bool,
    pub text: String,
    /// Complaints about single fields: the field's form name and what is wrong with it.
    pub fields: Vec<(String, String)>,
}

impl Flash {
    pub fn ok(text: impl Into<String>) -> Self {
        Self {
            ok: true,
            text: text.into(),
            fields: Vec::new(),
        }
    }

    pub fn error(text: impl Into<String>, fields: Vec<(String, String)>) -> Self {
        Self {
            ok: false,
            text: text.into(),
            fields,
        }
    }

    /// Leaves the message for the next page.
    pub fn store(&self, jar: &CookieJar) {
        let mut pairs = vec![("ok", if self.ok { "1" } else { "0" }), ("t", &self.text)];
        pairs.extend(self.fields.iter().map(|(f, m)| (f.as_str(), m.as_str())));
        let value = serde_urlencoded::to_string(pairs).unwrap_or_default();
        let mut cookie = crate::cookies::ui_cookie(COOKIE, value);
        cookie.set_max_age(std::time::Duration::from_secs(60));
        jar.add(cookie);
    }

    /// The waiting message, if any, which is then gone.
    pub fn take(jar: &CookieJar) -> Option<Self> {
        let raw = jar.get(COOKIE)?.value_str().to_string();
        crate::cookies::expire(jar, COOKIE);
        let mut pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(&raw)
            .ok()?
            .into_iter();
        let (_, ok) = pairs.next()?;
        let (_, text) = pairs.next()?;
        Some(Self {
            ok: ok == "1",
            text,
            fields: pairs.collect(),
        })
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
        let sent = Flash::error(
            "Заявка закрыта; 100% sure & more=",
            vec![("room_number".into(), "Заполните поле".into())],
        );
        sent.store(&jar);
        assert_eq!(Flash::take(&jar), Some(sent));
    }
}
