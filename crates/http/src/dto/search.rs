//! Search results on the wire.

use fixdesk_usecases::domain::{HitSubject, SearchHit};
use poem_openapi::Object;

/// One ticket or item that matched.
#[derive(Debug, Object)]
pub struct SearchHitOut {
    /// `ticket` or `equipment`.
    pub kind: String,
    /// The ticket's or the item's id.
    pub id: i64,
    /// The ticket's title or the item's name.
    pub title: String,
    /// Where the words were found: `number`, `room`, `ticket` (title, description, room),
    /// `message`, `note` (internal, staff only) or `equipment`.
    pub matched_in: String,
    /// The matching stretch of text, plain.
    pub snippet: String,
    /// The same stretch, HTML-escaped, the found words in `<mark>`.
    pub snippet_html: String,
    /// A ticket's status (`null` for equipment).
    #[oai(nullable)]
    pub status: Option<String>,
    /// A ticket's room or an item's location.
    #[oai(nullable)]
    pub place: Option<String>,
    /// An item's inventory number (`null` for tickets).
    #[oai(nullable)]
    pub inventory_number: Option<String>,
}

impl From<SearchHit> for SearchHitOut {
    fn from(h: SearchHit) -> Self {
        let (kind, id, status, place, inventory_number) = match h.subject {
            HitSubject::Ticket {
                id,
                status,
                room_number,
            } => (
                "ticket",
                id,
                Some(status.as_str().to_owned()),
                Some(room_number),
                None,
            ),
            HitSubject::Equipment {
                id,
                location,
                inventory_number,
            } => ("equipment", id, None, location, inventory_number),
        };
        Self {
            kind: kind.into(),
            id,
            title: h.title,
            matched_in: h.matched_in.as_str().into(),
            snippet: h.snippet.plain(),
            snippet_html: h.snippet.html(),
            status,
            place,
            inventory_number,
        }
    }
}
