//! The SMTP side of mail out: one pooled transport (lettre; TLS or STARTTLS and credentials
//! as the URL says) and what became of a delivery. A refusal of the address (a permanent
//! SMTP error, or an address that is not one) is an answer, not a failure: the address is
//! marked and not tried again. Anything else (the server is away, a transient 4xx) is a
//! failure the job queue retries with back-off.

use std::time::Duration;

use fixdesk_domain::{DeskAddress, Letter};
use fixdesk_usecases::ServiceError;

use crate::jobs::failure::Shown;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
    transport::smtp::AsyncSmtpTransportBuilder,
};

/// What the desk needs to send mail.
#[derive(Clone)]
pub struct MailConfig {
    /// `smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required`, or plain
    /// `smtp://host:25` (lettre's URL form).
    pub smtp_url: String,
    /// The sender, `fixdesk <desk@example.org>`.
    pub from: String,
    /// The web interface's address as people reach it, for links in mails.
    pub public_url: String,
    /// How often notifications are turned into mails.
    pub sweep_every: Duration,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("from", &self.from)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl MailConfig {
    /// Refuses settings the desk could not send with (checked at start-up, not at the first
    /// notification).
    pub fn check(&self) -> Result<(), MailConfigError> {
        self.parts().map(drop)
    }

    fn parts(&self) -> Result<(AsyncSmtpTransportBuilder, Mailbox), MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?;
        let from = self
            .from
            .parse::<Mailbox>()
            .map_err(|e| MailConfigError::From(e.to_string()))?;
        Ok((transport, from))
    }
}

/// Why the mail settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("mail_smtp_url is not an SMTP URL lettre understands: {0}")]
    Url(String),
    #[error("mail_from is not a mail address: {0}")]
    From(String),
}

/// What became of one mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Delivery {
    Sent,
    /// The receiving side refused the address for good.
    Refused(String),
}

pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    pub(crate) desk: DeskAddress,
    pub(crate) sweep_every: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// The longest an SMTP conversation may stall.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    /// Needs a Tokio runtime: the transport's pool starts its own task.
    pub(crate) fn new(config: &MailConfig) -> Result<Self, MailConfigError> {
        let (transport, from) = config.parts()?;
        Ok(Self {
            transport: transport.timeout(Some(SMTP_TIMEOUT)).build(),
            from,
            desk: DeskAddress::new(&config.public_url),
            sweep_every: config.sweep_every,
        })
    }

    /// Sends `letter` to `to`.
    pub(crate) async fn send(&self, to: &str, letter: &Letter) -> Result<Delivery, ServiceError> {
        let Ok(to) = to.parse::<Mailbox>() else {
            return Ok(Delivery::Refused(format!("{to:?} is not a mail address")));
        };
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .header(Subject(letter.subject.clone()))
            .message_id(Some(letter.message_id.clone()))
            .header(AutoSubmitted);
        if let Some(thread) = &letter.thread {
            message = message
                .in_reply_to(thread.clone())
                .references(thread.clone());
        }
        let message = message
            .multipart(MultiPart::alternative_plain_html(
                letter.text.clone(),
                letter.html.clone(),
            ))
            .map_err(ServiceError::internal)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(Delivery::Sent),
            Err(e) if e.is_permanent() => Ok(Delivery::Refused(e.to_string())),
            Err(e) => Err(ServiceError::internal(Shown(format!("SMTP: {e}")))),
        }
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): tells vacation responders not to answer, and
/// the desk's own gateway to ignore a notification that loops back.
#[derive(Debug, Clone, Copy)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// The subject, encoded whole (RFC 2047, UTF-8, base64) when any of it reads like an encoded
/// word: a ticket titled `=?UTF-8?B?…?=` must show as typed, not as whatever it decodes to.
/// Other subjects are left to lettre, which encodes only what is not ASCII.
#[derive(Debug, Clone)]
struct Subject(String);

/// Bytes of text per encoded word: its base64 (52 characters) in the `=?utf-8?b?…?=` frame
/// after `Subject: ` keeps each line within RFC 5322's 78.
const WORD_BYTES: usize = 39;

impl lettre::message::header::Header for Subject {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Subject")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        use base64::Engine as _;
        if !fixdesk_domain::mail_out::reads_as_encoded_word(&self.0) {
            return lettre::message::header::HeaderValue::new(Self::name(), self.0.clone());
        }
        let mut words = Vec::new();
        let mut rest = self.0.as_str();
        while !rest.is_empty() {
            let mut end = rest.len().min(WORD_BYTES);
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            let (word, tail) = rest.split_at(end);
            words.push(format!(
                "=?utf-8?b?{}?=",
                base64::engine::general_purpose::STANDARD.encode(word)
            ));
            rest = tail;
        }
        lettre::message::header::HeaderValue::dangerous_new_pre_encoded(
            Self::name(),
            self.0.clone(),
            words.join("\r\n "),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The subject as a mail client reads it from the formatted message.
    fn sent_subject(subject: &str) -> (String, String) {
        let Ok(message) = Message::builder()
            .from(
                "desk <desk@example.org>"
                    .parse()
                    .unwrap_or_else(|_| unreachable!()),
            )
            .to("a@example.org".parse().unwrap_or_else(|_| unreachable!()))
            .header(Subject(subject.into()))
            .body(String::from("text"))
        else {
            return (String::new(), String::new());
        };
        let raw = String::from_utf8_lossy(&message.formatted()).into_owned();
        let line = raw
            .split("\r\n")
            .skip_while(|l| !l.starts_with("Subject:"))
            .take_while(|l| l.starts_with("Subject:") || l.starts_with(' '))
            .collect::<Vec<_>>()
            .join("\r\n");
        let parsed = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .and_then(|m| m.subject().map(str::to_owned))
            .unwrap_or_default();
        (line, parsed)
    }

    #[test]
    fn a_subject_that_reads_as_an_encoded_word_reaches_the_reader_as_typed() {
        let typed = "[#5] =?UTF-8?B?0JLQt9C70L7QvA==?= и ещё очень длинный хвост темы письма";
        let (line, read) = sent_subject(typed);
        assert_eq!(read, typed);
        assert!(!line.contains("0JLQt9C70L7QvA==?="), "{line}");
        assert!(line.split("\r\n").all(|l| l.len() <= 78), "{line}");
        let (_, read) = sent_subject("[#5] Принтер");
        assert_eq!(read, "[#5] Принтер");
        assert!(!fixdesk_domain::mail_out::reads_as_encoded_word("a=?b c?="));
    }
}
