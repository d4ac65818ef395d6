//! Full-text search, the part that needs no database: what a typed query means (the words to
//! look for, stemmed so that "принтеры" finds "принтера"; a ticket number; a room), what a
//! hit is, and a highlighted snippet.
//!
//! Words are stemmed with the Snowball stemmers (Russian for Cyrillic words, English for
//! Latin ones) — the algorithm PostgreSQL's `russian` and `english` configurations use — and
//! looked for as prefixes of indexed words (PostgreSQL) or as substrings (SQLite's trigram
//! index), so the query's stem meets every form of the word.

use rust_stemmers::{Algorithm, Stemmer};

use crate::{Page, TicketStatus};

/// Words shorter than this cannot be looked up in a trigram index; they still match a room
/// number or a ticket number exactly.
pub const SHORTEST_WORD: usize = 3;

/// What a query asks for, ready for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    /// Lower-cased stems of the words long enough for the index, each one needed.
    pub stems: Vec<String>,
    /// A ticket number (`123` or `#123`), when the query is one.
    pub number: Option<i64>,
    /// The query as typed, trimmed: a room number is found exactly.
    pub exact: String,
}

impl SearchTerms {
    /// The terms of `query`; `None` when it has nothing to look for.
    pub fn parse(query: &str) -> Option<Self> {
        let exact = query.trim().to_owned();
        if exact.is_empty() {
            return None;
        }
        let number = exact
            .strip_prefix('#')
            .unwrap_or(&exact)
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0);
        let stems = exact
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .flat_map(|w| w.split('-'))
            .filter(|w| !w.is_empty())
            .map(stem)
            .filter(|w| w.chars().count() >= SHORTEST_WORD)
            .collect();
        Some(Self {
            stems,
            number,
            exact,
        })
    }

    /// An FTS5 query: every stem, quoted (so nothing typed is read as FTS syntax).
    pub fn fts5(&self) -> Option<String> {
        (!self.stems.is_empty()).then(|| {
            self.stems
                .iter()
                .map(|s| format!("\"{}\"", s.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// A PostgreSQL `to_tsquery('simple', …)` text: every stem as a prefix, all needed. The
    /// stems hold letters and digits only, so nothing typed is read as query syntax.
    pub fn tsquery(&self) -> Option<String> {
        let parts: Vec<String> = self
            .stems
            .iter()
            .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}:*"))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" & "))
    }
}

/// A word lower-cased and stemmed in its script's language (other scripts and numbers as
/// they are).
fn stem(word: &str) -> String {
    let lower = word.to_lowercase();
    let algorithm = if lower.chars().any(|c| matches!(c, 'а'..='я' | 'ё')) {
        Algorithm::Russian
    } else if lower.chars().any(|c| c.is_ascii_alphabetic()) {
        Algorithm::English
    } else {
        return lower;
    };
    let stemmed = Stemmer::create(algorithm).stem(&lower).into_owned();
    // A stem too short for the index would lose the word; the word itself still finds its
    // own forms' beginnings.
    if stemmed.chars().count() >= SHORTEST_WORD {
        stemmed
    } else {
        lower
    }
}

/// What to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchScope {
    #[default]
    All,
    Tickets,
    Equipment,
}

impl SearchScope {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all" | "" => Some(Self::All),
            "tickets" => Some(Self::Tickets),
            "equipment" => Some(Self::Equipment),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub terms: SearchTerms,
    pub scope: SearchScope,
    pub page: Page,
}

/// Where a hit's text was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedIn {
    /// The ticket's number.
    Number,
    /// The ticket's room, exactly.
    Room,
    /// The ticket's title, description or room.
    Ticket,
    Message,
    /// An internal note (staff only).
    Note,
    /// An item's name, model, serial, inventory number or location.
    Equipment,
}

impl MatchedIn {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedIn::Number => "number",
            MatchedIn::Room => "room",
            MatchedIn::Ticket => "ticket",
            MatchedIn::Message => "message",
            MatchedIn::Note => "note",
            MatchedIn::Equipment => "equipment",
        }
    }

    /// The index's one-letter kind of a document.
    pub fn of_kind(kind: &str) -> Self {
        match kind.trim() {
            "m" => MatchedIn::Message,
            "n" => MatchedIn::Note,
            "e" => MatchedIn::Equipment,
            _ => MatchedIn::Ticket,
        }
    }
}

/// What a hit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HitSubject {
    Ticket {
        id: i64,
        status: TicketStatus,
        room_number: String,
    },
    Equipment {
        id: i64,
        location: Option<String>,
        inventory_number: Option<String>,
    },
}

impl HitSubject {
    /// Which ticket or item this is (two hits on one are one result).
    pub fn key(&self) -> (bool, i64) {
        match self {
            HitSubject::Ticket { id, .. } => (true, *id),
            HitSubject::Equipment { id, .. } => (false, *id),
        }
    }
}

/// One result: a ticket or an item, its best-matching text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub subject: HitSubject,
    pub title: String,
    pub matched_in: MatchedIn,
    pub snippet: Snippet,
}

/// A stretch of matched text with the found words marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet(pub Vec<(String, bool)>);

/// Where the databases' snippet functions are told to mark a found word.
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

impl Snippet {
    /// Reads a snippet the database marked with [`MARK_START`]/[`MARK_END`].
    pub fn from_marked(text: &str) -> Self {
        let mut parts = Vec::new();
        let mut marked = false;
        for piece in text.split([MARK_START, MARK_END]) {
            if !piece.is_empty() {
                parts.push((piece.to_owned(), marked));
            }
            marked = !marked;
        }
        // Split alternates only if the marks pair up; recount from the marks themselves.
        if text.matches(MARK_START).count() != text.matches(MARK_END).count() {
            return Self(vec![(text.replace([MARK_START, MARK_END], ""), false)]);
        }
        Self(parts)
    }

    /// The text without marks.
    pub fn plain(&self) -> String {
        self.0.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// The text with found words in `<mark>`, everything else HTML-escaped.
    pub fn html(&self) -> String {
        self.0
            .iter()
            .map(|(t, m)| {
                let t = crate::text::escape_html(t);
                if *m { format!("<mark>{t}</mark>") } else { t }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_english_words_are_stemmed_to_what_their_forms_share() {
        let t = SearchTerms::parse("Принтеры мерцает flickered").unwrap();
        assert_eq!(t.stems, ["принтер", "мерца", "flicker"]);
        assert!("принтера".starts_with(&t.stems[0]));
        assert_eq!(t.number, None);
    }

    #[test]
    fn numbers_rooms_and_short_words() {
        let t = SearchTerms::parse("#42").unwrap();
        assert_eq!(t.number, Some(42));
        assert!(t.stems.is_empty(), "too short for the index");
        assert_eq!(t.fts5(), None);
        let t = SearchTerms::parse(" 214 ").unwrap();
        assert_eq!((t.number, t.exact.as_str()), (Some(214), "214"));
        assert_eq!(t.fts5().as_deref(), Some("\"214\""));
        assert!(SearchTerms::parse("   ").is_none());
    }

    #[test]
    fn typed_syntax_is_never_query_syntax() {
        let t = SearchTerms::parse("proj\" OR x:* INV-0042 & !").unwrap();
        assert_eq!(t.fts5().as_deref(), Some("\"proj\" \"inv\" \"0042\""));
        assert_eq!(t.tsquery().as_deref(), Some("proj:* & inv:* & 0042:*"));
    }

    #[test]
    fn snippets_mark_found_words_and_escape_the_rest() {
        let s = Snippet::from_marked("a <b> \u{2}принтер\u{3}а сломан");
        assert_eq!(s.plain(), "a <b> принтера сломан");
        assert_eq!(s.html(), "a &lt;b&gt; <mark>принтер</mark>а сломан");
        let broken = Snippet::from_marked("x \u{2}y");
        assert_eq!(broken.html(), "x y");
    }
}
