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

/// What a reply adds: the text before the quoted history (`>` lines, "On … wrote:",
/// "… пишет:", an "Original Message" divider) and before the signature (`-- `).
pub fn reply_text(body: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in body.lines() {
        let trimmed = line.trim();
        let history = trimmed.starts_with('>')
            || (trimmed.starts_with("On ") && trimmed.ends_with("wrote:"))
            || trimmed.ends_with("пишет:")
            || trimmed.ends_with("написал:")
            || trimmed.ends_with("написала:")
            || trimmed.contains("Original Message")
            || trimmed.contains("Исходное сообщение");
        if history || line == "-- " || line == "--" {
            break;
        }
        kept.push(line);
    }
    kept.join("\n").trim().to_owned()
}

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
    /// Unreadable or too large: kept whole for an admin.
    Kept(String),
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
            | MailOutcome::Kept(r) => Some(r),
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
    /// `ticket`, `message`, `ignored`, `unknown_sender`, `refused`, `kept` (or `received`
    /// while it is being handled).
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
    fn machines_are_not_answered() {
        assert!(is_automatic(Some("auto-replied"), None, false));
        assert!(!is_automatic(Some("no"), None, false));
        assert!(is_automatic(None, Some("bulk"), false));
        assert!(is_automatic(None, None, true));
        assert!(!is_automatic(None, Some("normal"), false));
    }
}
