//! Mail into tickets, the way Request Tracker's mail gateway works: one RFC 5322 message (what
//! an MTA's pipe or a fetchmail rule hands over) becomes a ticket from its sender, or — when
//! its subject carries `[#123]` or it answers an earlier delivered message — a message on that
//! ticket. It goes through the same rules as the API (permissions, validation, audit rows,
//! notifications, attachment checks); the sender acts as themselves — and a staff sender only
//! with proof (see `proof`), otherwise the mail is kept for an admin.
//!
//! Every message ends in exactly one recorded outcome, written in the unit of work that
//! stores whatever the message brought (the ticket or message, its files, a new account): a
//! ticket, a message, a duplicate, ignored, refused with a reason, or kept whole for an admin.
//! When storing fails (the database is away, the disk full) nothing is recorded and the error
//! goes back to the mail host, whose next delivery is handled afresh — never answered
//! "duplicate" for something that was not done.

use std::sync::Arc;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, ClientInfo, Description, DomainError, Email, FullName, MessageText, NewTicket, Password,
    Priority, Role, RoomNumber, SessionId, TicketId, Title, User,
    mail::{
        MAX_MESSAGE_ID, MAX_SENDER, MailOutcome, UnknownSenders, body_text, clean_subject,
        header_text, is_automatic, reply_text, ticket_tag, username_from,
    },
    mail_out::thread_ticket,
};
use fixdesk_repository::{
    mail::{self, Claim},
    users,
};
use fixdesk_usecases::{AttachmentUseCases, ServiceError, StagedFile};
use futures::StreamExt;
use mail_parser::{Message, MessageParser, MimeHeaders};

use super::proof::{Proof, proof};
use crate::{
    context::Context,
    files::remove_all,
    files::{Attachments, attach_in},
    random,
    tickets::{Filer, Tickets},
    trail,
};

pub use fixdesk_domain::mail::MAX_MESSAGE_BYTES;

/// What the ticket's room is when a mail does not say.
const NO_ROOM: &str = "—";

fn client() -> ClientInfo {
    ClientInfo {
        ip: None,
        user_agent: Some("fixdesk mailgate".into()),
    }
}

/// A delivered message, read as far as it can be.
struct Letter<'a> {
    raw: &'a [u8],
    /// `None`: too large, or not a message.
    message: Option<Message<'a>>,
    /// The `From:` address in lower case, when there is a usable one.
    sender: Option<String>,
    /// Its `Message-ID`, or (none, or an unusable one) a digest of its content.
    message_id: String,
    subject: String,
}

impl<'a> Letter<'a> {
    fn read(raw: &'a [u8]) -> Self {
        let message = (raw.len() <= MAX_MESSAGE_BYTES)
            .then(|| MessageParser::default().parse(raw))
            .flatten();
        let sender = message
            .as_ref()
            .and_then(|m| m.from())
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(|a| a.trim().to_lowercase())
            .filter(|a| {
                !a.is_empty()
                    && a.len() <= MAX_SENDER
                    && !a.chars().any(|c| c.is_control() || c.is_whitespace())
            });
        let message_id = message
            .as_ref()
            .and_then(|m| m.message_id())
            .map(|id| header_text(id, MAX_MESSAGE_ID + 1))
            .filter(|id| !id.is_empty() && id.chars().count() <= MAX_MESSAGE_ID)
            .unwrap_or_else(|| content_id(raw));
        let subject = header_text(
            message
                .as_ref()
                .and_then(|m| m.subject())
                .unwrap_or_default(),
            1000,
        );
        Self {
            raw,
            message,
            sender,
            message_id,
            subject,
        }
    }

    fn received(&self, at: chrono::NaiveDateTime) -> mail::Received<'_> {
        mail::Received {
            message_id: &self.message_id,
            sender: self.sender.as_deref().unwrap_or(""),
            subject: &self.subject,
            at,
        }
    }
}

/// Whether someone vouches for a message beyond what it carries itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vouched {
    No,
    /// An admin read it and re-delivers it.
    ByAdmin,
}

/// Where the outcome goes: a new row for this delivery, or the row of a kept message being
/// re-delivered.
#[derive(Debug, Clone, Copy)]
enum Target {
    New,
    Row(i64),
}

/// Delivers one raw message; see the module's description.
pub(crate) async fn deliver(ctx: &Arc<Context>, raw: &[u8]) -> Result<MailOutcome, ServiceError> {
    let letter = Letter::read(raw);
    // Most redeliveries are answered from a reader, without waiting for the writer.
    let sender = letter.sender.as_deref().unwrap_or("");
    if let Some((_, outcome, ticket)) =
        mail::earlier(ctx.db.reader(), &letter.message_id, sender).await?
        && outcome != "received"
    {
        return Ok(duplicate(&outcome, ticket));
    }
    handle(ctx, &letter, Target::New, Vouched::No).await
}

/// An admin re-delivers a kept message: it is handled anew as if its sender had proved who
/// they are (the admin read it and vouches for it).
pub(crate) async fn redeliver(ctx: &Arc<Context>, id: i64) -> Result<MailOutcome, ServiceError> {
    let (row, raw) = mail::kept(ctx.db.reader(), id)
        .await?
        .ok_or(DomainError::MailNotFound)?;
    let letter = Letter::read(&raw);
    handle(ctx, &letter, Target::Row(row.id), Vouched::ByAdmin).await
}

fn duplicate(outcome: &str, ticket: Option<i64>) -> MailOutcome {
    let ticket = ticket.map(|t| format!(", ticket #{t}")).unwrap_or_default();
    MailOutcome::Duplicate(format!("{outcome}{ticket}"))
}

/// What a message comes to, decided before anything is written.
enum Plan {
    /// Only recorded: ignored, refused, a stranger, or kept whole (`keep`).
    Record { outcome: MailOutcome, keep: bool },
    /// A ticket or a message from an account.
    Act {
        account: Box<Account>,
        action: Action,
        /// Why it may act, when it is staff.
        proof: Option<Proof>,
    },
}

enum Account {
    Existing(User),
    /// A stranger's account to open (the desk opens accounts for strangers).
    New(users::NewUserRow),
}

enum Action {
    /// A message (empty: the mail brought only files) on a ticket.
    Reply {
        ticket: i64,
        text: Option<MessageText>,
    },
    File(NewTicket),
}

async fn handle(
    ctx: &Arc<Context>,
    letter: &Letter<'_>,
    target: Target,
    vouched: Vouched,
) -> Result<MailOutcome, ServiceError> {
    let plan = plan(ctx, letter, vouched).await?;
    let (staged, refused_files) = match &plan {
        Plan::Act { account, .. } => stage(ctx, letter, account).await,
        Plan::Record { .. } => (Vec::new(), Vec::new()),
    };
    let keys: Vec<String> = staged.iter().map(|f| f.key.clone()).collect();
    let acted = store(ctx, letter, target, plan, staged, refused_files).await;
    if !matches!(
        acted,
        Ok(Stored::Done(
            MailOutcome::Ticket(_) | MailOutcome::Message(_)
        ))
    ) {
        // Nothing of the files was kept: a refusal, a duplicate or a failure.
        remove_all(ctx.files.as_ref(), keys).await;
    }
    match acted {
        Ok(Stored::Done(outcome)) => Ok(outcome),
        // A rule refused it (no access to the ticket, a closed ticket, a field out of
        // bounds): that is its outcome, recorded on its own.
        Ok(Stored::RefusedByRule(reason)) => {
            let refused = Plan::Record {
                outcome: MailOutcome::Refused(reason),
                keep: false,
            };
            match store(ctx, letter, target, refused, Vec::new(), Vec::new()).await? {
                Stored::Done(outcome) => Ok(outcome),
                Stored::RefusedByRule(reason) => Ok(MailOutcome::Refused(reason)),
            }
        }
        Err(e) => Err(e),
    }
}

/// Decides what the message comes to; writes nothing.
async fn plan(
    ctx: &Arc<Context>,
    letter: &Letter<'_>,
    vouched: Vouched,
) -> Result<Plan, ServiceError> {
    let keep = |why: String| Plan::Record {
        outcome: MailOutcome::Kept(why),
        keep: true,
    };
    let record = |outcome| Plan::Record {
        outcome,
        keep: false,
    };
    if letter.raw.len() > MAX_MESSAGE_BYTES {
        return Ok(keep(format!("larger than {MAX_MESSAGE_BYTES} bytes")));
    }
    let (Some(message), Some(sender)) = (&letter.message, &letter.sender) else {
        return Ok(keep("not a readable message with a sender".into()));
    };
    let header = |name: &'static str| message.header_raw(name).map(str::trim);
    if is_automatic(
        header("Auto-Submitted"),
        header("Precedence"),
        header("X-Autoreply").is_some() || header("X-Autorespond").is_some(),
    ) {
        return Ok(record(MailOutcome::Ignored("written by a machine".into())));
    }
    let files = message.attachments().count();
    let cap = ctx.mail_in.max_attachments;
    if files > cap {
        return Ok(record(MailOutcome::Refused(format!(
            "{files} attachments; a mail may carry at most {cap}"
        ))));
    }
    let Some(account) = sender_account(ctx, message, sender).await? else {
        return Ok(record(MailOutcome::UnknownSender(sender.clone())));
    };
    let answered = answered(message);
    let thread = match ticket_tag(&letter.subject) {
        Some(id) => Some(id),
        // A reply to one of the desk's own mails names its ticket in the message id.
        None => match answered.iter().find_map(|id| thread_ticket(id)) {
            Some(id) => Some(id),
            None => mail::ticket_of(ctx.db.reader(), &answered).await?,
        },
    };
    let body = body_text(&message.body_text(0).unwrap_or_default());
    let proof = match &account {
        Account::Existing(user) if user.role.is_staff() => match vouched {
            Vouched::ByAdmin => Some(Proof::Admin),
            Vouched::No => {
                let found = proof(
                    &ctx.reply_key,
                    ctx.mail_in.trusted_authserv_id.as_deref(),
                    message.headers_raw(),
                    sender,
                    &answered,
                    user.id.0,
                    thread,
                );
                if found.is_none() {
                    return Ok(keep(format!(
                        "from the staff address {sender} without proof of its sender \
                         (neither a reply to the desk's mail to them about this ticket nor \
                         a pass from the trusted mail host)"
                    )));
                }
                found
            }
        },
        _ => None,
    };
    let action = match thread {
        Some(ticket) => {
            let text = reply_text(&body);
            if text.is_empty() && files == 0 {
                return Ok(keep("no new text: only quoted history".into()));
            }
            let text = (!text.is_empty())
                .then(|| MessageText::parse(&cut(&text, 5000)))
                .transpose()
                .map_err(DomainError::from);
            match text {
                Ok(text) => Action::Reply { ticket, text },
                Err(e) => return Ok(record(MailOutcome::Refused(e.to_string()))),
            }
        }
        None => match new_ticket(&letter.subject, &body) {
            Ok(new) => Action::File(new),
            Err(e) => return Ok(record(MailOutcome::Refused(e.to_string()))),
        },
    };
    Ok(Plan::Act {
        account: Box::new(account),
        action,
        proof,
    })
}

/// A ticket from a mail: the subject as its title (the first line of the body when the
/// subject says nothing), the body as its description.
fn new_ticket(subject: &str, body: &str) -> Result<NewTicket, DomainError> {
    let title = match clean_subject(subject) {
        t if t.is_empty() => body
            .lines()
            .map(|l| header_text(l, 100))
            .find(|l| !l.is_empty())
            .unwrap_or_default(),
        t => header_text(&t, 100),
    };
    let title = Title::parse(&title).or_else(|_| Title::parse(NO_ROOM))?;
    Ok(NewTicket {
        title,
        description: Description::parse(&cut(body.trim(), 10_000))?,
        room_number: RoomNumber::parse(NO_ROOM)?,
        priority: Priority::Medium,
        category_id: None,
        equipment_id: None,
    })
}

/// Receives the message's files through the upload checks (type, content, size), before the
/// unit of work: the ones refused are named, the message stands without them.
async fn stage(
    ctx: &Arc<Context>,
    letter: &Letter<'_>,
    account: &Account,
) -> (Vec<StagedFile>, Vec<String>) {
    let (mut staged, mut refused) = (Vec::new(), Vec::new());
    let Some(message) = &letter.message else {
        return (staged, refused);
    };
    let actor = match account {
        Account::Existing(user) => actor_of(user),
        Account::New(_) => Actor {
            id: fixdesk_domain::UserId(0),
            username: String::new(),
            full_name: None,
            role: Role::User,
            session: SessionId("mailgate".into()),
        },
    };
    let files = Attachments::new(ctx.clone());
    for part in message.attachments() {
        let name = part.attachment_name().unwrap_or("attachment").to_owned();
        let bytes = part.contents().to_vec();
        let body = futures::stream::once(async move { Ok(bytes) }).boxed();
        match files.stage(&actor, &name, body).await {
            Ok(file) => staged.push(file),
            Err(e) => {
                tracing::warn!(file = %name, error = %e, "a mailed attachment was refused");
                refused.push(format!("{name}: {e}"));
            }
        }
    }
    (staged, refused)
}

/// What storing came to.
enum Stored {
    Done(MailOutcome),
    /// A rule of the desk refused the action; nothing was stored.
    RefusedByRule(String),
}

/// Claims the message and stores its plan and outcome in one unit of work.
async fn store(
    ctx: &Arc<Context>,
    letter: &Letter<'_>,
    target: Target,
    plan: Plan,
    files: Vec<StagedFile>,
    refused_files: Vec<String>,
) -> Result<Stored, ServiceError> {
    let now = ctx.clock.now();
    let uow = ctx.db.begin_write().await?;
    let row = match target {
        Target::Row(id) => id,
        Target::New => match mail::claim(uow.conn(), &letter.received(now)).await? {
            Claim::Mine(id) => id,
            Claim::Earlier { outcome, ticket_id } => {
                return Ok(Stored::Done(duplicate(&outcome, ticket_id)));
            }
        },
    };
    let (outcome, detail, raw) = match plan {
        Plan::Record { outcome, keep } => {
            let detail = outcome.reason().map(str::to_owned);
            (outcome, detail, keep.then(|| letter.raw.to_vec()))
        }
        Plan::Act {
            account,
            action,
            proof,
        } => match act(ctx, uow.conn(), *account, action, files, now).await {
            Ok(outcome) => {
                let mut notes = Vec::new();
                if let Some(p) = proof {
                    notes.push(format!("sender proved by {}", p.as_str()));
                }
                if !refused_files.is_empty() {
                    notes.push(format!("files left out: {}", refused_files.join("; ")));
                }
                let detail = (!notes.is_empty()).then(|| notes.join("; "));
                (outcome, detail, None)
            }
            Err(ServiceError::Domain(e)) => return Ok(Stored::RefusedByRule(e.to_string())),
            Err(e) => return Err(e),
        },
    };
    mail::finish(uow.conn(), row, &outcome, detail, raw).await?;
    uow.commit().await?;
    Ok(Stored::Done(outcome))
}

/// The ticket or message, with its files, in the caller's unit of work.
async fn act<C: ConnectionTrait>(
    ctx: &Arc<Context>,
    conn: &C,
    account: Account,
    action: Action,
    files: Vec<StagedFile>,
    now: chrono::NaiveDateTime,
) -> Result<MailOutcome, ServiceError> {
    let user = match account {
        Account::Existing(user) => user,
        Account::New(row) => open_account(conn, row, now).await?,
    };
    let actor = actor_of(&user);
    let tickets = Tickets::new(ctx.clone());
    let (ticket, outcome) = match action {
        Action::Reply { ticket, text } => {
            if let Some(text) = text {
                tickets
                    .post_in(conn, &actor, TicketId(ticket), text, false, &client(), now)
                    .await?;
            }
            (ticket, MailOutcome::Message(ticket))
        }
        Action::File(new) => {
            let by = Filer {
                id: actor.id,
                name: actor.display_name(),
                planned: false,
            };
            let t = tickets.file(conn, by, new, &client(), now).await?;
            (t.id.0, MailOutcome::Ticket(t.id.0))
        }
    };
    for file in files {
        attach_in(conn, &actor, TicketId(ticket), file, None, &client(), now).await?;
    }
    Ok(outcome)
}

fn actor_of(user: &User) -> Actor {
    Actor {
        id: user.id,
        username: user.username.clone(),
        full_name: user.full_name.clone(),
        role: user.role,
        session: SessionId("mailgate".into()),
    }
}

/// The account a message is from: the active one of its address, or — when the desk opens
/// accounts for strangers and no account has the address — one to open. A deactivated
/// account's mail is refused like a stranger's.
async fn sender_account(
    ctx: &Arc<Context>,
    message: &Message<'_>,
    sender: &str,
) -> Result<Option<Account>, ServiceError> {
    match users::find_by_email(ctx.db.reader(), sender).await? {
        Some(user) => Ok(user.is_active.then_some(Account::Existing(user))),
        None if ctx.mail_in.unknown_senders == UnknownSenders::Account => {
            placeholder(ctx, message, sender).await
        }
        None => Ok(None),
    }
}

/// A stranger's account: their address, the name their mail client gave, role user, and a
/// random password nobody knows (they sign in once an admin sets one). Hashed here, before
/// the unit of work. `None` when the address is not one an account may have.
async fn placeholder(
    ctx: &Arc<Context>,
    message: &Message<'_>,
    sender: &str,
) -> Result<Option<Account>, ServiceError> {
    let Ok(email) = Email::parse(sender) else {
        return Ok(None);
    };
    let full_name = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.name())
        .and_then(|n| FullName::parse(&header_text(n, 100)).ok());
    let password = Password::parse(&random::hex(24)).map_err(DomainError::from)?;
    Ok(Some(Account::New(users::NewUserRow {
        username: username_from(sender),
        email: Some(email.into_inner()),
        hashed_password: ctx.hasher.hash(&password).await?,
        full_name: full_name.map(FullName::into_inner),
        role: Role::User,
        is_active: true,
    })))
}

/// Opens a stranger's account in the caller's unit of work, under a free username. The audit
/// log records it as made by the account itself, through the gateway.
async fn open_account<C: ConnectionTrait>(
    conn: &C,
    mut row: users::NewUserRow,
    now: chrono::NaiveDateTime,
) -> Result<User, ServiceError> {
    let base = row.username.clone();
    let mut n = 1;
    while users::username_taken(conn, &row.username, None).await? {
        n += 1;
        row.username = format!("{base}{n}");
    }
    let user = users::insert(conn, row, now).await?;
    let entry = trail::user_created(user.id, &user, &client());
    trail::append(conn, fixdesk_repository::batch::Batch::on(conn), entry, now).await?;
    Ok(user)
}

/// The message ids a reply answers (`In-Reply-To`, then `References`).
fn answered(message: &Message<'_>) -> Vec<String> {
    [message.in_reply_to(), message.references()]
        .into_iter()
        .filter_map(|h| h.as_text_list())
        .flatten()
        .map(|id| header_text(id, MAX_MESSAGE_ID))
        .collect()
}

/// An id for a message that has none (or an unusable one), from its content (a second
/// delivery has the same).
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
