//! Shared checks for text fields, so every newtype reports lengths and forbidden characters
//! the same way.

use std::borrow::Cow;

use crate::FieldError;

/// The first character no text field may hold: a control character (C0, DEL or C1) other
/// than tab and line breaks. NUL cannot even be stored by PostgreSQL; the others are how
/// terminal escapes and invisible garbage get into logs, exports and pages.
pub fn forbidden_character(s: &str) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The error kind of a field refused for a [`forbidden_character`].
pub const CONTROL_CHARACTERS: &str = "string_control_characters";

/// What a client is told about a [`forbidden_character`].
pub fn forbidden_message(c: char) -> String {
    format!(
        "String should not contain control characters (found U+{:04X})",
        u32::from(c)
    )
}

/// Refuses `raw` if it holds a [`forbidden_character`].
pub fn plain(field: &'static str, raw: &str) -> Result<(), FieldError> {
    match forbidden_character(raw) {
        None => Ok(()),
        Some(c) => Err(FieldError::new(
            field,
            CONTROL_CHARACTERS,
            forbidden_message(c),
        )),
    }
}

/// `s` with every control character written as a `\u{…}` escape: for putting what someone
/// typed into a log or a key, where it must be recorded but never act.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_control) {
        Cow::Owned(
            s.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_unicode().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` without bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069), with which `invoice_exe.pdf` can be made to read as `invoice_fdp.exe`:
/// removed from titles and file names, where a reader must see what is really there.
pub fn without_bidi_controls(s: &str) -> Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if s.chars().any(bidi) {
        Cow::Owned(s.chars().filter(|c| !bidi(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Trims `raw` and checks its length in characters lies in `min..=max` and that it holds no
/// [`forbidden_character`].
pub fn bounded(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldError> {
    plain(field, raw)?;
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        let msg = if min == 1 {
            "String should have at least 1 character".to_string()
        } else {
            format!("String should have at least {min} characters")
        };
        return Err(FieldError::new(field, "string_too_short", msg).with_limit(min));
    }
    if len > max {
        return Err(FieldError::new(
            field,
            "string_too_long",
            format!("String should have at most {max} characters"),
        )
        .with_limit(max));
    }
    Ok(value.to_string())
}

/// A one-line field (a title, a name, a room): [`bounded`], and no tab or line break either —
/// one would end a header when the value goes into a mail subject, a CSV row or a log line.
/// Bidirectional overrides are removed (see [`without_bidi_controls`]).
pub fn line(field: &'static str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    if let Some(c) = raw.chars().find(|c| matches!(c, '\t' | '\n' | '\r')) {
        return Err(FieldError::new(
            field,
            CONTROL_CHARACTERS,
            format!(
                "String should be one line, without tabs or line breaks (found U+{:04X})",
                u32::from(c)
            ),
        ));
    }
    bounded(field, &without_bidi_controls(raw), min, max)
}

/// `s` safe inside HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_tabs_and_line_breaks_are_text() {
        for bad in ["a\0b", "\u{1b}[31m", "x\u{7f}", "\u{85}", "\u{b}"] {
            assert_eq!(
                bounded("f", bad, 0, 50).map_err(|e| e.kind),
                Err("string_control_characters"),
                "{bad:?}"
            );
        }
        assert!(bounded("f", "line one\r\n\tline two", 0, 50).is_ok());
    }

    #[test]
    fn one_line_fields_refuse_tabs_and_line_breaks_and_lose_bidi_overrides() {
        for bad in ["a\nb", "a\r\nb", "a\tb", "a\rb"] {
            assert_eq!(
                line("f", bad, 0, 50).map_err(|e| e.kind),
                Err("string_control_characters"),
                "{bad:?}"
            );
        }
        assert_eq!(line("f", " Иван\u{202E}  ", 1, 50).as_deref(), Ok("Иван"));
        assert_eq!(
            line("f", "\u{202E}", 1, 50).map_err(|e| e.kind),
            Err("string_too_short")
        );
    }

    #[test]
    fn bidi_overrides_are_removed() {
        assert_eq!(
            without_bidi_controls("invoice\u{202E}fdp.exe"),
            "invoicefdp.exe"
        );
        assert_eq!(without_bidi_controls("\u{2067}x\u{2069}"), "x");
        assert!(matches!(without_bidi_controls("обычный"), Cow::Borrowed(_)));
    }

    #[test]
    fn trims_and_counts_characters_not_bytes() {
        assert_eq!(bounded("f", "  ок  ", 1, 2).as_deref(), Ok("ок"));
        assert_eq!(
            bounded("f", "   ", 1, 5).map_err(|e| e.kind),
            Err("string_too_short")
        );
        assert_eq!(
            bounded("f", "абв", 1, 2).map_err(|e| e.kind),
            Err("string_too_long")
        );
    }
}
