//! Russian and English. The language is the one the visitor chose (a cookie), else the one
//! their browser prefers of the two, else Russian, the product's home language.

mod errors;
mod texts;

use poem::{Request, http::header};

pub use errors::error_text;
pub use texts::Texts;

/// The cookie that remembers an explicit choice.
pub const LANG_COOKIE: &str = "fixdesk_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The same language as the service knows it (a person's saved choice, mail templates).
    pub fn language(self) -> fixdesk_usecases::domain::Language {
        match self {
            Lang::Ru => fixdesk_usecases::domain::Language::Ru,
            Lang::En => fixdesk_usecases::domain::Language::En,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ru => &texts::RU,
            Lang::En => &texts::EN,
        }
    }

    /// The language for `req`.
    pub fn of(req: &Request) -> Self {
        if let Some(lang) = req
            .cookie()
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value_str()))
        {
            return lang;
        }
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(preferred)
            .unwrap_or(Lang::Ru)
    }
}

/// The best of Russian and English in an `Accept-Language` header, by quality and then order.
fn preferred(header: &str) -> Option<Lang> {
    header
        .split(',')
        .enumerate()
        .filter_map(|(pos, item)| {
            let mut parts = item.trim().split(';');
            let tag = parts.next()?.trim().to_ascii_lowercase();
            let lang = Lang::parse(tag.split('-').next()?)?;
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((q, pos, lang))
        })
        .filter(|(q, _, _)| *q > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, _, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_preference_decides() {
        assert_eq!(preferred("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(preferred("de-DE,ru;q=0.8,en;q=0.5"), Some(Lang::Ru));
        assert_eq!(preferred("en;q=0.3, ru-RU"), Some(Lang::Ru));
        assert_eq!(preferred("ru;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(preferred("de, fr"), None);
        assert_eq!(preferred(""), None);
    }
}
