//! Lengths of time in words, in the reader's language: "12 min", "3 h 05 min", "2 d 4 h".

use crate::i18n::Texts;

/// Minutes as "12 min" or "2 h 05 min" (working time: hours, however many).
pub fn span(t: &Texts, minutes: i64) -> String {
    let m = minutes.abs();
    match (m / 60, m % 60) {
        (0, m) => t.span_minutes.replace("{}", &m.to_string()),
        (h, m) => t
            .span_hours
            .replace("{h}", &h.to_string())
            .replace("{m}", &format!("{m:02}")),
    }
}

/// Calendar minutes as people say them: under a day as [`span`], else days and hours
/// ("2 d 4 h"), so a month of waiting does not read as "700 h".
pub fn spoken(t: &Texts, minutes: i64) -> String {
    let m = minutes.abs();
    if m < 24 * 60 {
        return span(t, m);
    }
    let hours = (m + 30) / 60;
    t.span_days
        .replace("{d}", &(hours / 24).to_string())
        .replace("{h}", &(hours % 24).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn durations_read_as_words_in_both_languages() {
        let (en, ru) = (Lang::En.texts(), Lang::Ru.texts());
        assert_eq!(span(en, 12), "12 min");
        assert_eq!(span(en, 185), "3 h 05 min");
        assert_eq!(span(ru, 185), "3 ч 05 мин");
        assert_eq!(spoken(en, 3), "3 min");
        assert_eq!(spoken(en, 24 * 60 * 2 + 4 * 60 + 40), "2 d 5 h");
        assert_eq!(spoken(ru, 24 * 60), "1 дн 0 ч");
        assert_eq!(crate::view::decimal(ru, 12.46), "12,5");
        let held = &12.46;
        assert_eq!(crate::view::decimal(en, held), "12.5");
    }
}
