//! Canned replies: texts staff insert into a reply, shared by the desk (kept by admins) or
//! personal. Placeholders are filled from the ticket at hand.

use crate::{DomainError, UserId, text::bounded};

/// The placeholders a reply may use, and what fills them.
pub const PLACEHOLDERS: [&str; 5] = [
    "{requester}",
    "{ticket}",
    "{title}",
    "{equipment}",
    "{agent}",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedReply {
    pub id: i64,
    /// `None`: shared with the whole staff.
    pub owner_id: Option<UserId>,
    pub title: String,
    pub body: String,
}

/// A reply as written, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedDraft {
    pub title: String,
    pub body: String,
    pub shared: bool,
}

impl CannedDraft {
    pub fn parse(title: &str, body: &str, shared: bool) -> Result<Self, DomainError> {
        let title = crate::text::line("title", title, 1, 100);
        let body = bounded("body", body, 1, 5000);
        match (title, body) {
            (Ok(title), Ok(body)) => Ok(Self {
                title,
                body,
                shared,
            }),
            (t, b) => Err(DomainError::Invalid(
                [t.err(), b.err()].into_iter().flatten().collect(),
            )),
        }
    }
}

/// What fills the placeholders for one ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filling {
    pub requester: String,
    pub ticket: String,
    pub title: String,
    pub equipment: String,
    pub agent: String,
}

impl CannedReply {
    /// The body with its placeholders filled; unknown braces stay as written.
    pub fn render(&self, f: &Filling) -> String {
        let values = [&f.requester, &f.ticket, &f.title, &f.equipment, &f.agent];
        PLACEHOLDERS
            .iter()
            .zip(values)
            .fold(self.body.clone(), |text, (p, v)| text.replace(p, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let r = CannedReply {
            id: 1,
            owner_id: None,
            title: "Принято".into(),
            body: "{requester}, заявка #{ticket} ({equipment}) принята. {agent} {unknown}".into(),
        };
        let f = Filling {
            requester: "Анна".into(),
            ticket: "42".into(),
            title: "t".into(),
            equipment: "HP 400".into(),
            agent: "Иван".into(),
        };
        assert_eq!(
            r.render(&f),
            "Анна, заявка #42 (HP 400) принята. Иван {unknown}"
        );
    }

    #[test]
    fn drafts_need_a_title_and_a_body() {
        assert!(CannedDraft::parse("", "текст", false).is_err());
        match CannedDraft::parse(" ", " ", true) {
            Err(DomainError::Invalid(fields)) => assert_eq!(fields.len(), 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            CannedDraft::parse(" Привет ", "Текст", true).unwrap().title,
            "Привет"
        );
    }
}
