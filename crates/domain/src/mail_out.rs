//! Mail out: how each person wants to hear of each kind of notification by e-mail (at once,
//! gathered into an hourly or daily digest, or not at all), when a digest is due, and what a
//! mail says — in the recipient's language, as plain text and HTML, with the ticket's `[#id]`
//! subject tag and message ids that make mail clients thread a ticket's mails together (and
//! let the mail gateway file a reply on the right ticket).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime, Timelike};

use crate::{FieldError, Language, Notification, NotificationKind, text::escape_html};

/// How a kind of notification reaches a person's mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MailChannel {
    Off,
    /// One mail per notification, within a sweep of it being written.
    Instant,
    /// One mail an hour with everything of the hour.
    Hourly,
    /// One mail a day (UTC) with everything of the day.
    Daily,
}

impl MailChannel {
    pub const ALL: [MailChannel; 4] = [
        MailChannel::Off,
        MailChannel::Instant,
        MailChannel::Hourly,
        MailChannel::Daily,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailChannel::Off => "off",
            MailChannel::Instant => "instant",
            MailChannel::Hourly => "hourly",
            MailChannel::Daily => "daily",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "mail",
                    "enum",
                    "Each kind's mail should be off, instant, hourly or daily",
                )
            })
    }

    /// Whether a digest of this channel whose oldest item was written at `oldest` is due at
    /// `now`: once the hour (or UTC day) of that item is over.
    pub fn digest_due(self, oldest: NaiveDateTime, now: NaiveDateTime) -> bool {
        let start = oldest.date().and_time(chrono::NaiveTime::MIN);
        let period_end = match self {
            MailChannel::Hourly => start + Duration::hours(i64::from(oldest.hour()) + 1),
            MailChannel::Daily => start + Duration::days(1),
            MailChannel::Off | MailChannel::Instant => return true,
        };
        now >= period_end
    }
}

/// A person's mail choice per kind. Every kind is mailed at once until chosen otherwise: a
/// desk that configured mail wants people to hear of their tickets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailChoices(pub BTreeMap<NotificationKind, MailChannel>);

impl MailChoices {
    pub fn channel(&self, kind: NotificationKind) -> MailChannel {
        self.0.get(&kind).copied().unwrap_or(MailChannel::Instant)
    }

    /// Every kind with its current choice.
    pub fn effective(&self) -> Vec<(NotificationKind, MailChannel)> {
        NotificationKind::ALL
            .iter()
            .map(|k| (*k, self.channel(*k)))
            .collect()
    }
}

/// What a person sees of their mail: whether the desk sends mail at all, where to, whether
/// that address bounced (and so is no longer tried), and their choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub enabled: bool,
    pub address: String,
    pub bounced: Option<String>,
    pub choices: MailChoices,
}

/// Where mails point and what their message ids end in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskAddress {
    /// The web interface's address as people reach it (`https://desk.example.org`).
    pub public_url: String,
    /// The right-hand side of message ids (`desk.example.org`).
    pub host: String,
}

impl DeskAddress {
    pub fn new(public_url: &str) -> Self {
        let public_url = public_url.trim_end_matches('/').to_string();
        let host = public_url
            .split("://")
            .nth(1)
            .unwrap_or(&public_url)
            .split(['/', ':'])
            .next()
            .filter(|h| !h.is_empty())
            .unwrap_or("fixdesk")
            .to_string();
        Self { public_url, host }
    }

    /// The message id every mail about `ticket` answers: the thread's root.
    pub fn thread_id(&self, ticket: i64) -> String {
        format!("<ticket-{ticket}@{}>", self.host)
    }

    fn ticket_link(&self, ticket: i64) -> String {
        format!("{}/ui/tickets/{ticket}", self.public_url)
    }
}

/// The ticket a message id of ours is about (`<ticket-12@…>` or `<ticket-12.n34@…>`), so a
/// reply whose subject lost its tag still lands on its ticket.
pub fn thread_ticket(message_id: &str) -> Option<i64> {
    let id = message_id.trim().trim_start_matches('<');
    let rest = id.strip_prefix("ticket-")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    if !(after.starts_with('@') || after.starts_with(".n")) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// Whether a header's text holds something a mail client would decode as an RFC 2047
/// encoded word (`=?charset?b?…?=`) — text someone typed that must reach the reader as typed.
pub fn reads_as_encoded_word(text: &str) -> bool {
    text.split_whitespace()
        .any(|w| w.starts_with("=?") && w.ends_with("?=") && w.matches('?').count() >= 4)
}

/// One composed mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    /// The thread this mail continues (`In-Reply-To` and `References`).
    pub thread: Option<String>,
}

struct Words {
    open: &'static str,
    why: &'static str,
    settings: &'static str,
    digest: &'static str,
}

fn words(lang: Language) -> Words {
    match lang {
        Language::Ru => Words {
            open: "Открыть заявку",
            why: "Вы получили это письмо, потому что участвуете в заявке. Настроить письма",
            settings: "настройки уведомлений",
            digest: "Сводка уведомлений",
        },
        Language::En => Words {
            open: "Open the ticket",
            why: "You receive this because you take part in the ticket. Choose your mail",
            settings: "notification settings",
            digest: "Notification digest",
        },
    }
}

/// What one notification says: its headline in `lang` and its text.
fn lines_of(n: &Notification, lang: Language) -> (String, String) {
    let headline = n
        .related_id
        .and_then(|t| n.kind.headline(lang, t))
        .unwrap_or_else(|| n.title.clone());
    (headline, n.message.clone())
}

/// Why the mail came and where to choose otherwise, below a signature separator.
fn sign_off(desk: &DeskAddress, w: &Words, text: &mut String, html: &mut String) {
    let settings_link = format!("{}/ui/notifications", desk.public_url);
    text.push_str(&format!("-- \n{}: {settings_link}\n", w.why));
    html.push_str(&format!(
        "<hr><p style=\"color:#555;font-size:small\">{}: <a href=\"{}\">{}</a></p>",
        w.why,
        escape_html(&settings_link),
        w.settings
    ));
}

/// The mail for one notification. `ticket_title` names the ticket in the subject (the same
/// subject for the whole thread, as mail clients expect); `reply_token`, made for this
/// recipient, goes into the message id so that their reply proves who wrote it (see
/// [`crate::mail_proof`]).
pub fn compose(
    desk: &DeskAddress,
    lang: Language,
    n: &Notification,
    ticket_title: Option<&str>,
    reply_token: Option<&str>,
) -> Letter {
    let w = words(lang);
    let (headline, message) = lines_of(n, lang);
    let (subject, link, message_id, thread) = match n.related_id {
        Some(t) => (
            format!("[#{t}] {}", ticket_title.unwrap_or(&headline)),
            Some(desk.ticket_link(t)),
            match reply_token {
                Some(token) => crate::mail_proof::message_id_with_token(
                    crate::mail_proof::TokenScope {
                        ticket: t,
                        notification: n.id,
                        user: n.user_id.0,
                    },
                    token,
                    &desk.host,
                ),
                None => format!("<ticket-{t}.n{}@{}>", n.id, desk.host),
            },
            Some(desk.thread_id(t)),
        ),
        None => (
            headline.clone(),
            None,
            format!("<notice-{}@{}>", n.id, desk.host),
            None,
        ),
    };
    let mut text = format!("{headline}\n\n{message}\n");
    let mut html = format!(
        "<p><strong>{}</strong></p><p>{}</p>",
        escape_html(&headline),
        escape_html(&message)
    );
    if let Some(link) = &link {
        text.push_str(&format!("\n{}: {link}\n", w.open));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape_html(link),
            w.open
        ));
    }
    text.push('\n');
    sign_off(desk, &w, &mut text, &mut html);
    Letter {
        subject,
        text,
        html,
        message_id,
        thread,
    }
}

/// One mail with several notifications, oldest first.
pub fn compose_digest(desk: &DeskAddress, lang: Language, items: &[Notification]) -> Letter {
    let w = words(lang);
    let mut text = String::new();
    let mut html = String::from("<ul>");
    for n in items {
        let (headline, message) = lines_of(n, lang);
        let link = n.related_id.map(|t| desk.ticket_link(t));
        text.push_str(&format!("* {headline}\n  {message}\n"));
        html.push_str(&format!(
            "<li><strong>{}</strong><br>{}",
            escape_html(&headline),
            escape_html(&message)
        ));
        if let Some(link) = link {
            text.push_str(&format!("  {link}\n"));
            html.push_str(&format!(
                "<br><a href=\"{}\">{}</a>",
                escape_html(&link),
                w.open
            ));
        }
        text.push('\n');
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    sign_off(desk, &w, &mut text, &mut html);
    let last = items.last().map_or(0, |n| n.id);
    Letter {
        subject: format!("{} ({})", w.digest, items.len()),
        text,
        html,
        message_id: format!("<digest-{}.n{last}@{}>", items.len(), desk.host),
        thread: None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::UserId;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    }

    fn notice(kind: NotificationKind, ticket: Option<i64>) -> Notification {
        Notification {
            id: 34,
            user_id: UserId(5),
            title: "Новое сообщение в заявке #12".into(),
            message: "Принтер <снова> мнёт бумагу".into(),
            kind,
            related_id: ticket,
            is_read: false,
            created_at: at(10, 0),
        }
    }

    #[test]
    fn a_digest_waits_for_its_hour_or_day_to_end() {
        assert!(!MailChannel::Hourly.digest_due(at(10, 5), at(10, 59)));
        assert!(MailChannel::Hourly.digest_due(at(10, 5), at(11, 0)));
        assert!(!MailChannel::Daily.digest_due(at(10, 5), at(23, 59)));
        assert!(MailChannel::Daily.digest_due(at(10, 5), at(23, 59) + Duration::minutes(1)));
        assert_eq!(MailChannel::parse("daily"), Ok(MailChannel::Daily));
        assert!(MailChannel::parse("weekly").is_err());
        assert_eq!(
            MailChoices::default().channel(NotificationKind::TicketMessage),
            MailChannel::Instant
        );
    }

    #[test]
    fn a_ticket_mail_is_tagged_threaded_and_speaks_the_readers_language() {
        let desk = DeskAddress::new("https://desk.example.org:8443/");
        assert_eq!(desk.host, "desk.example.org");
        let n = notice(NotificationKind::TicketMessage, Some(12));
        let en = compose(&desk, Language::En, &n, Some("Printer jams"), None);
        assert_eq!(en.subject, "[#12] Printer jams");
        assert_eq!(en.message_id, "<ticket-12.n34@desk.example.org>");
        assert_eq!(en.thread.as_deref(), Some("<ticket-12@desk.example.org>"));
        assert!(en.text.starts_with("New message on ticket #12\n"));
        assert!(
            en.text
                .contains("https://desk.example.org:8443/ui/tickets/12")
        );
        assert!(en.html.contains("Принтер &lt;снова&gt; мнёт бумагу"));
        let ru = compose(&desk, Language::Ru, &n, Some("Принтер"), None);
        assert!(ru.text.starts_with("Новое сообщение в заявке #12\n"));
        assert!(ru.text.contains("Открыть заявку"));
        assert_eq!(thread_ticket(&en.message_id), Some(12));
        assert_eq!(thread_ticket("<ticket-12@desk.example.org>"), Some(12));
        assert_eq!(thread_ticket("<ticket-12x@desk>"), None);
        assert_eq!(thread_ticket("<abc@desk>"), None);
    }

    #[test]
    fn a_digest_lists_every_notice_with_its_link() {
        let desk = DeskAddress::new("http://127.0.0.1:8000");
        let items = [
            notice(NotificationKind::TicketCreated, Some(7)),
            notice(NotificationKind::System, None),
        ];
        let d = compose_digest(&desk, Language::En, &items);
        assert_eq!(d.subject, "Notification digest (2)");
        assert!(d.text.contains("* New ticket #7"));
        assert!(d.text.contains("http://127.0.0.1:8000/ui/tickets/7"));
        assert!(d.text.contains("* Новое сообщение в заявке #12"));
        assert!(d.thread.is_none());
    }
}
