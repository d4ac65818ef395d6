//! Mail into tickets, the rules that need no parser: which ticket a subject names, what a
//! subject means once the reply prefixes are gone, what of a reply is new (quoted history and
//! signatures cut off, the way Request Tracker's mail gateway does it), which mail was written
//! by a machine and must not be answered, and what became of a delivered message.

/// The largest message the gateway reads (attachments included); beyond, it is kept, not
/// handled.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

/// The ticket a subject's `[#123]` tag names.
pub fn ticket_tag(subject: &str) -> Option<i64> {
    let mut rest = subject;
    while let Some(at) = rest.find("[#") {
        let after = &rest[at + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(']') {
            return digits.parse().ok().filter(|n| *n > 0);
        }
        rest = after;
    }
    None
}

/// Reply and forward prefixes mail clients put before a subject, in the languages a desk
/// here meets (compared without case).
const PREFIXES: &[&str] = &[
    "re:",
    "fw:",
    "fwd:",
    "aw:",
    "wg:",
    "отв:",
    "пересл:",
    "ответ:",
];

/// A subject as a ticket's title: reply prefixes and ticket tags removed, spaces collapsed.
pub fn clean_subject(subject: &str) -> String {
    let mut s = subject.trim().to_owned();
    loop {
        let lower = s.to_lowercase();
        let Some(prefix) = PREFIXES.iter().find(|p| lower.starts_with(*p)) else {
            break;
        };
        // Prefixes are ASCII or Cyrillic; their length in the lower-cased text is the same
        // count of characters in the original.
        let chars = prefix.chars().count();
        s = s.chars().skip(chars).collect::<String>().trim().to_owned();
    }
    while let Some(at) = s.find("[#") {
        let Some(end) = s[at..].find(']') else { break };
        s.replace_range(at..at + end + 1, "");
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a reply adds: the person's own lines, wherever they stand relative to the quote —
/// above it, below it or between its pieces (an answer written under `> Which printer?`).
/// Quoted lines (`>`) and the attribution before them ("On … wrote:", "… пишет:") are left
/// out; everything from the signature (`-- `) or a forwarded-history divider ("Original
/// Message", Outlook's `From:`/`Sent:` block or its underscore rule) on is history and cut.
pub fn reply_text(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let next = lines.get(i + 1).map_or("", |l| l.trim());
        if *line == "-- " || *line == "--" || starts_history(trimmed, next) {
            break;
        }
        if trimmed.starts_with('>') {
            continue;
        }
        if is_attribution(trimmed) {
            // An attribution a mail client wrapped: "On Tue, … Desk <d@x>" / "wrote:".
            let wrapped = !starts_attribution(trimmed);
            if wrapped && kept.last().is_some_and(|l| starts_attribution(l.trim())) {
                kept.pop();
            }
            continue;
        }
        kept.push(line);
    }
    // Blank lines left where quotes were removed collapse to one.
    let mut text = String::new();
    let mut blank = false;
    for line in kept {
        if line.trim().is_empty() {
            blank = !text.is_empty();
            continue;
        }
        if blank {
            text.push('\n');
            blank = false;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line.trim_end());
    }
    text
}

/// The line that introduces a quote: "On … wrote:", "… пишет:", "… написал(а):".
fn is_attribution(line: &str) -> bool {
    line.ends_with("wrote:")
        || line.ends_with("пишет:")
        || line.ends_with("написал:")
        || line.ends_with("написала:")
}

/// How an attribution begins, for one that a mail client wrapped onto two lines.
fn starts_attribution(line: &str) -> bool {
    line.starts_with("On ") || line.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether the forwarded or top-posted history starts at this line (given the next one).
fn starts_history(line: &str, next: &str) -> bool {
    let outlook_block = (line.starts_with("From:") || line.starts_with("От:"))
        && (next.starts_with("Sent:")
            || next.starts_with("Date:")
            || next.starts_with("Отправлено:")
            || next.starts_with("Дата:"));
    line.contains("Original Message")
        || line.contains("Исходное сообщение")
        || line.contains("Forwarded message")
        || line.contains("Пересылаемое сообщение")
        || (line.len() >= 20 && line.chars().all(|c| c == '_'))
        || outlook_block
}

/// A header's decoded text as the desk keeps it: control characters (NUL, BEL, line
/// breaks) become spaces, runs of spaces one, at most `max` characters.
pub fn header_text(raw: &str, max: usize) -> String {
    raw.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

/// A body's decoded text as the desk keeps it: control characters other than tab and line
/// breaks removed (PostgreSQL cannot store NUL; the others are invisible garbage).
pub fn body_text(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The longest `Message-ID` the desk keeps (RFC 5322's line limit); a longer one is replaced
/// by the message's content digest.
pub const MAX_MESSAGE_ID: usize = 998;

/// The longest sender address (RFC 5321: 64 + 1 + 255).
pub const MAX_SENDER: usize = 320;

/// Mail written by a machine — an auto-reply, a mailing list, a bounce — is never turned into
/// tickets: answering it could loop forever.
pub fn is_automatic(
    auto_submitted: Option<&str>,
    precedence: Option<&str>,
    autoreply: bool,
) -> bool {
    let auto = auto_submitted.is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"));
    let bulk = precedence.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "bulk" | "list" | "junk" | "auto_reply"
        )
    });
    auto || bulk || autoreply
}

/// What became of one delivered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    /// A new ticket.
    Ticket(i64),
    /// A message on an existing ticket.
    Message(i64),
    /// Delivered before (same `Message-ID`): nothing done again; what happened then.
    Duplicate(String),
    /// Written by a machine; recorded, not answered.
    Ignored(String),
    /// From an address no active account has; recorded, the sender told.
    UnknownSender(String),
    /// Not accepted (no access to the ticket, not a valid ticket); recorded, the sender told.
    Refused(String),
    /// Unreadable, too large, nothing new, or from a staff address without proof: kept whole
    /// for an admin, who may re-deliver or discard it.
    Kept(String),
    /// Kept, then discarded by an admin.
    Discarded(String),
}

impl MailOutcome {
    /// The stored word for the outcome.
    pub fn as_str(&self) -> &'static str {
        match self {
            MailOutcome::Ticket(_) => "ticket",
            MailOutcome::Message(_) => "message",
            MailOutcome::Duplicate(_) => "duplicate",
            MailOutcome::Ignored(_) => "ignored",
            MailOutcome::UnknownSender(_) => "unknown_sender",
            MailOutcome::Refused(_) => "refused",
            MailOutcome::Kept(_) => "kept",
            MailOutcome::Discarded(_) => "discarded",
        }
    }

    /// The ticket it reached, if any.
    pub fn ticket(&self) -> Option<i64> {
        match self {
            MailOutcome::Ticket(id) | MailOutcome::Message(id) => Some(*id),
            _ => None,
        }
    }

    /// Why, for the outcomes that have a reason.
    pub fn reason(&self) -> Option<&str> {
        match self {
            MailOutcome::Duplicate(r)
            | MailOutcome::Ignored(r)
            | MailOutcome::UnknownSender(r)
            | MailOutcome::Refused(r)
            | MailOutcome::Kept(r)
            | MailOutcome::Discarded(r) => Some(r),
            _ => None,
        }
    }
}

impl std::fmt::Display for MailOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailOutcome::Ticket(id) => write!(f, "opened ticket #{id}"),
            MailOutcome::Message(id) => write!(f, "added a message to ticket #{id}"),
            MailOutcome::Duplicate(r) => write!(f, "already delivered ({r})"),
            MailOutcome::Ignored(r) => write!(f, "ignored: {r}"),
            MailOutcome::UnknownSender(r) => write!(f, "refused: {r} has no account here"),
            MailOutcome::Refused(r) => write!(f, "refused: {r}"),
            MailOutcome::Kept(r) => write!(f, "kept for an admin: {r}"),
            MailOutcome::Discarded(r) => write!(f, "discarded: {r}"),
        }
    }
}

/// A delivered message as the desk recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMail {
    pub id: i64,
    pub message_id: String,
    pub sender: String,
    pub subject: String,
    pub received_at: chrono::NaiveDateTime,
    /// `ticket`, `message`, `ignored`, `unknown_sender`, `refused`, `kept` or `discarded`.
    pub outcome: String,
    pub ticket_id: Option<i64>,
    pub detail: Option<String>,
    /// Whether the whole message is kept (unreadable or too large).
    pub kept: bool,
}

/// What the gateway does with mail from an address no account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownSenders {
    /// Refuse it (the MTA bounces it to the sender).
    #[default]
    Refuse,
    /// Open an account for the sender (role user, a password nobody knows) and file the mail.
    Account,
}

impl UnknownSenders {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "refuse" => Some(UnknownSenders::Refuse),
            "account" => Some(UnknownSenders::Account),
            _ => None,
        }
    }
}

/// The username of a placeholder account: the address's local part in lower case, with only
/// letters, digits, `.`, `_` and `-` (at least 3 characters, at most 40).
pub fn username_from(address: &str) -> String {
    let local = address.split('@').next().unwrap_or_default();
    let mut name: String = local
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(40)
        .collect();
    while name.chars().count() < 3 {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_is_named_after_the_local_part() {
        assert_eq!(
            username_from("Ivan.Petrov+desk@school.example"),
            "ivan.petrovdesk"
        );
        assert_eq!(username_from("ab@x"), "ab_");
        assert_eq!(
            UnknownSenders::parse("account"),
            Some(UnknownSenders::Account)
        );
        assert_eq!(UnknownSenders::parse("maybe"), None);
    }

    #[test]
    fn the_tag_names_the_ticket() {
        assert_eq!(ticket_tag("Re: [#123] Принтер"), Some(123));
        assert_eq!(ticket_tag("[#] x [#7]"), Some(7));
        assert_eq!(ticket_tag("#123 no brackets"), None);
        assert_eq!(ticket_tag("[#12a]"), None);
    }

    #[test]
    fn subjects_lose_prefixes_and_tags() {
        assert_eq!(
            clean_subject("RE: Отв: Fwd:  [#5] Не  печатает"),
            "Не печатает"
        );
        assert_eq!(clean_subject("Recovery plan"), "Recovery plan");
        assert_eq!(clean_subject("   "), "");
    }

    #[test]
    fn replies_lose_history_and_signature() {
        let body =
            "Всё работает, спасибо!\n\n2 дек. 2026 г., в 10:00, Иван <i@x> пишет:\n> Проверьте\n";
        assert_eq!(reply_text(body), "Всё работает, спасибо!");
        let body = "Fixed now.\n-- \nAnna, room 214\n";
        assert_eq!(reply_text(body), "Fixed now.");
        let body = "Still broken\nOn Tue, Dec 1, 2026 at 9:00 AM Desk <d@x> wrote:\n> ok";
        assert_eq!(reply_text(body), "Still broken");
    }

    #[test]
    fn an_answer_under_or_between_the_quotes_is_kept() {
        assert_eq!(reply_text("> Which printer?\nThe grey one"), "The grey one");
        let body = "On Tue, Dec 1, 2026 at 9:00 AM Desk <d@x>\nwrote:\n> Which printer?\n\nThe grey one\n\n> Which room?\n\n214\n-- \nAnna";
        assert_eq!(reply_text(body), "The grey one\n\n214");
        assert_eq!(reply_text("> only a quote\n> nothing else\n"), "");
        let outlook = "Done.\n\nFrom: Desk <d@x>\nSent: Monday\nSubject: [#5]\nThe old text";
        assert_eq!(reply_text(outlook), "Done.");
    }

    #[test]
    fn headers_and_bodies_lose_control_characters() {
        assert_eq!(header_text("a\0b\u{7}c\r\n  d", 100), "a b c d");
        assert_eq!(header_text(&"x".repeat(50), 10).len(), 10);
        assert_eq!(body_text("a\0b\nc\td\u{7}"), "ab\nc\td");
    }

    #[test]
    fn machines_are_not_answered() {
        assert!(is_automatic(Some("auto-replied"), None, false));
        assert!(!is_automatic(Some("no"), None, false));
        assert!(is_automatic(None, Some("bulk"), false));
        assert!(is_automatic(None, None, true));
        assert!(!is_automatic(None, Some("normal"), false));
    }
}
