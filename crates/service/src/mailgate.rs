//! Mail into tickets, the way Request Tracker's mail gateway works: one RFC 5322 message (what
//! an MTA's pipe or a fetchmail rule hands over) becomes a ticket from its sender, or — when
//! its subject carries `[#123]` or it answers an earlier delivered message — a message on that
//! ticket. Everything goes through the same use cases as the API (permissions, validation,
//! audit rows, notifications, attachment checks); the sender acts as themselves.
//!
//! Nothing is lost and nothing is done twice: each message is claimed by its `Message-ID`
//! first; mail written by machines is recorded and ignored; an unreadable or oversized
//! message is kept whole for an admin.

use std::sync::Arc;

use fixdesk_domain::{
    Actor, ClientInfo, Description, DomainError, Email, FullName, MessageText, NewTicket, Password,
    Priority, Role, RoomNumber, SessionId, TicketId, Title, User,
    mail::{
        MailOutcome, UnknownSenders, clean_subject, is_automatic, reply_text, ticket_tag,
        username_from,
    },
    mail_out::thread_ticket,
};
use fixdesk_repository::{mail, users};
use fixdesk_usecases::{AttachmentUseCases, ServiceError, TicketUseCases};
use futures::StreamExt;
use mail_parser::{Message, MessageParser, MimeHeaders};

use crate::{attachments::Attachments, clock, context::Context, random, tickets::Tickets, trail};

pub use fixdesk_domain::mail::MAX_MESSAGE_BYTES;

/// What the ticket's room is when a mail does not say.
const NO_ROOM: &str = "—";

fn client() -> ClientInfo {
    ClientInfo {
        ip: None,
        user_agent: Some("fixdesk mailgate".into()),
    }
}

/// Delivers one raw message; see the module's description.
pub(crate) async fn deliver(ctx: &Arc<Context>, raw: &[u8]) -> Result<MailOutcome, ServiceError> {
    let now = ctx.clock.now();
    let parsed = (raw.len() <= MAX_MESSAGE_BYTES)
        .then(|| MessageParser::default().parse(raw))
        .flatten();
    let sender = parsed
        .as_ref()
        .and_then(|m| m.from())
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_lowercase);
    // A message without an id is known by its content.
    let message_id = parsed
        .as_ref()
        .and_then(|m| m.message_id())
        .map_or_else(|| content_id(raw), str::to_owned);
    let subject = parsed
        .as_ref()
        .and_then(|m| m.subject())
        .unwrap_or_default()
        .to_owned();
    let received = mail::Received {
        message_id: &message_id,
        sender: sender.as_deref().unwrap_or(""),
        subject: &subject,
        at: now,
    };
    let claimed = {
        let uow = ctx.db.begin_write().await?;
        let id = mail::claim(uow.conn(), &received).await?;
        uow.commit().await?;
        id
    };
    let Some(row) = claimed else {
        let (outcome, ticket) = mail::earlier(ctx.db.reader(), &message_id)
            .await?
            .unwrap_or_default();
        let ticket = ticket.map(|t| format!(", ticket #{t}")).unwrap_or_default();
        return Ok(MailOutcome::Duplicate(format!("{outcome}{ticket}")));
    };
    let (outcome, keep) = match (&parsed, sender) {
        _ if raw.len() > MAX_MESSAGE_BYTES => (
            MailOutcome::Kept(format!("larger than {MAX_MESSAGE_BYTES} bytes")),
            true,
        ),
        (Some(message), Some(sender)) => (handle(ctx, message, &sender, &subject).await?, false),
        _ => (
            MailOutcome::Kept("not a readable message with a sender".into()),
            true,
        ),
    };
    let uow = ctx.db.begin_write().await?;
    mail::finish(uow.conn(), row, &outcome, keep.then(|| raw.to_vec())).await?;
    uow.commit().await?;
    Ok(outcome)
}

/// A readable message from `sender`: ignored, refused, a ticket or a message.
async fn handle(
    ctx: &Arc<Context>,
    message: &Message<'_>,
    sender: &str,
    subject: &str,
) -> Result<MailOutcome, ServiceError> {
    let header = |name: &'static str| message.header_raw(name).map(str::trim);
    if is_automatic(
        header("Auto-Submitted"),
        header("Precedence"),
        header("X-Autoreply").is_some() || header("X-Autorespond").is_some(),
    ) {
        return Ok(MailOutcome::Ignored("written by a machine".into()));
    }
    let Some(user) = sender_account(ctx, message, sender).await? else {
        return Ok(MailOutcome::UnknownSender(sender.to_owned()));
    };
    let actor = Actor {
        id: user.id,
        username: user.username,
        full_name: user.full_name,
        role: user.role,
        session: SessionId("mailgate".into()),
    };
    let body = message.body_text(0).unwrap_or_default();
    let tickets = Tickets::new(ctx.clone());
    let answered = answered(message);
    let thread = match ticket_tag(subject) {
        Some(id) => Some(id),
        // A reply to one of the desk's own mails names its ticket in the message id.
        None => match answered.iter().find_map(|id| thread_ticket(id)) {
            Some(id) => Some(id),
            None => mail::ticket_of(ctx.db.reader(), &answered).await?,
        },
    };
    if let Some(id) = thread {
        let text = reply_text(&body);
        let text = MessageText::parse(&cut(&text, 5000)).map_err(DomainError::from)?;
        return match tickets
            .post_message(&actor, TicketId(id), text, false, &client())
            .await
        {
            Ok(_) => {
                attach(ctx, &actor, id, message).await;
                Ok(MailOutcome::Message(id))
            }
            Err(ServiceError::Domain(e)) => Ok(MailOutcome::Refused(format!("ticket #{id}: {e}"))),
            Err(e) => Err(e),
        };
    }
    let title = match clean_subject(subject) {
        t if t.is_empty() => body
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("—")
            .trim()
            .to_owned(),
        t => t,
    };
    let new = NewTicket {
        title: Title::parse(&cut(&title, 100)).map_err(DomainError::from)?,
        description: Description::parse(&cut(body.trim(), 10_000)).map_err(DomainError::from)?,
        room_number: RoomNumber::parse(NO_ROOM).map_err(DomainError::from)?,
        priority: Priority::Medium,
        category_id: None,
        equipment_id: None,
    };
    match tickets.create(&actor, new, &client()).await {
        Ok(ticket) => {
            attach(ctx, &actor, ticket.id.0, message).await;
            Ok(MailOutcome::Ticket(ticket.id.0))
        }
        Err(ServiceError::Domain(e)) => Ok(MailOutcome::Refused(e.to_string())),
        Err(e) => Err(e),
    }
}

/// The account a message is from: the active one of its address, or — when the desk opens
/// accounts for strangers and no account has the address — a new one. A deactivated
/// account's mail is refused like a stranger's.
async fn sender_account(
    ctx: &Arc<Context>,
    message: &Message<'_>,
    sender: &str,
) -> Result<Option<User>, ServiceError> {
    match users::find_by_email(ctx.db.reader(), sender).await? {
        Some(user) => Ok(user.is_active.then_some(user)),
        None if ctx.unknown_senders == UnknownSenders::Account => {
            placeholder(ctx, message, sender).await
        }
        None => Ok(None),
    }
}

/// Opens an account for a stranger: their address, the name their mail client gave, role
/// user, and a random password nobody knows (they sign in once an admin sets one). The audit
/// log records it as made by the account itself, through the gateway. `None` when the address
/// is not one an account may have.
async fn placeholder(
    ctx: &Arc<Context>,
    message: &Message<'_>,
    sender: &str,
) -> Result<Option<User>, ServiceError> {
    let Ok(email) = Email::parse(sender) else {
        return Ok(None);
    };
    let full_name = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.name())
        .and_then(|n| FullName::parse(n).ok());
    let password = Password::parse(&random::hex(24)).map_err(DomainError::from)?;
    let hash = ctx.hasher.hash(&password).await?;
    let now = clock::now();
    let uow = ctx.db.begin_write().await?;
    let base = username_from(sender);
    let mut username = base.clone();
    let mut n = 1;
    while users::username_taken(uow.conn(), &username, None).await? {
        n += 1;
        username = format!("{base}{n}");
    }
    let row = users::NewUserRow {
        username,
        email: Some(email.into_inner()),
        hashed_password: hash,
        full_name: full_name.map(FullName::into_inner),
        role: Role::User,
        is_active: true,
    };
    let user = users::insert(uow.conn(), row, now).await?;
    trail::commit(uow, trail::user_created(user.id, &user, &client()), now).await?;
    Ok(Some(user))
}

/// The message ids a reply answers (`In-Reply-To`, then `References`).
fn answered(message: &Message<'_>) -> Vec<String> {
    [message.in_reply_to(), message.references()]
        .into_iter()
        .filter_map(|h| h.as_text_list())
        .flatten()
        .map(|id| id.to_string())
        .collect()
}

/// Puts the message's attachments on the ticket through the upload checks (type, content,
/// size); a refused one is logged and left out, the ticket stands.
async fn attach(ctx: &Arc<Context>, actor: &Actor, ticket: i64, message: &Message<'_>) {
    let files = Attachments::new(ctx.clone());
    for part in message.attachments() {
        let name = part.attachment_name().unwrap_or("attachment").to_owned();
        let bytes = part.contents().to_vec();
        let body = futures::stream::once(async move { Ok(bytes) }).boxed();
        if let Err(e) = files
            .upload(actor, TicketId(ticket), &name, None, body, &client())
            .await
        {
            tracing::warn!(ticket, file = %name, error = %e, "a mailed attachment was refused");
        }
    }
}

/// An id for a message that has none, from its content (a second delivery has the same).
fn content_id(raw: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(raw);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// At most `max` characters of `s`.
fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
