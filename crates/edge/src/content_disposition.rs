//! How a transport names a file it hands out, so the API and the web pages send the same
//! header for the same file.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters kept as they are in an RFC 5987 `filename*` value.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII stand-in for old clients and the
/// exact name, percent-encoded, for the rest. Quotes, slashes and control characters never
/// reach the header.
pub fn content_disposition(name: &str) -> String {
    disposition("attachment", name)
}

/// The same, for a file the browser shows itself (`inline`): a picture or a PDF opened in a
/// tab. Whoever sends it checks first that the type is one a browser cannot run.
pub fn inline_disposition(name: &str) -> String {
    disposition("inline", name)
}

fn disposition(kind: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '/' | ';') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR_CHAR)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_are_safe_and_exact() {
        assert_eq!(
            content_disposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
        );
        let d = content_disposition("акт \"1\".pdf");
        assert!(d.starts_with("attachment; filename=\"___ _1_.pdf\"; filename*=UTF-8''%D0%B0%D0%BA%D1%82%20%221%22.pdf"), "{d}");
    }
}
