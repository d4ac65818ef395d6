//! One ticket: its details, thread and files, and the actions the visitor's role allows (first,
//! so a phone shows them before the thread). Everything that another person's change can touch
//! sits in `#live`, which the page's script fetches again when a notification about this ticket
//! arrives. Opening the page marks the visitor's notifications about the ticket read.

use askama::Template;
use fixdesk_usecases::domain::{
    Actor, Attachment, DeskRules, Role, Ticket, TicketId, TicketStatus,
    preventive::{TextLine, text_lines},
    ticket::{self, TicketField},
};
use poem::{
    Request, Response, handler,
    web::{Data, Path, Query},
};

use crate::{
    Service, WebError,
    clock::{Clock, When},
    due::DuePanel,
    layout::{Layout, page},
    pages::{ticket_fields::Pickers, ticket_timeline::TimelineRow},
    session::Session,
    view::{self, Choice},
};

#[derive(Debug)]
pub struct MessageRow {
    pub author: String,
    pub text: String,
    pub at: When,
    pub mine: bool,
    pub internal: bool,
}

#[derive(Debug)]
pub struct AttachmentRow {
    pub id: i64,
    pub name: String,
    pub size_kib: String,
    pub at: When,
    /// Opens in the browser (a picture or a PDF) rather than downloading.
    pub inline: bool,
    /// Shown as a thumbnail.
    pub picture: bool,
}

impl AttachmentRow {
    fn new(a: Attachment, clock: &Clock) -> Self {
        Self {
            inline: a.opens_inline(),
            picture: a.is_picture(),
            id: a.id,
            size_kib: format!("{:.1}", a.file_size as f64 / 1024.0),
            at: clock.when(&a.uploaded_at),
            name: a.filename,
        }
    }
}

/// What the visitor may do to the ticket now, decided once for the template.
#[derive(Debug, Default)]
pub struct Actions {
    pub take: bool,
    /// Change the status (staff, among the open statuses; closing asks for a resolution).
    pub status: bool,
    /// Choose the assignee (admins; agents when the desk lets them hand over).
    pub assign: bool,
    pub close: bool,
    pub reopen: bool,
    /// Until when the creator may reopen (shown beside the button).
    pub reopen_until: Option<String>,
    pub hide: bool,
    pub delete: bool,
    pub write: bool,
    /// Mark the ticket as waiting on its requester, or stop waiting (staff who work it).
    pub wait: bool,
    /// Correct its title, category, item, room and priority (staff who work it; its creator
    /// while nobody has started on it).
    pub edit: bool,
    /// Close it as a duplicate of another ticket (staff who work it, while open).
    pub merge: bool,
    /// Tick the boxes of its checklist (staff who work it, while open).
    pub tick: bool,
    /// Stop following it (who follows a ticket they did not file).
    pub unfollow: bool,
}

/// The fields the form correcting a ticket's details sends.
const DETAILS: [TicketField; 5] = [
    TicketField::Title,
    TicketField::CategoryId,
    TicketField::EquipmentId,
    TicketField::RoomNumber,
    TicketField::Priority,
];

impl Actions {
    fn for_visitor(
        actor: &Actor,
        t: &Ticket,
        following: bool,
        rules: &DeskRules,
        clock: &Clock,
    ) -> Self {
        let staff = actor.role.is_staff();
        let creator = t.creator_id == actor.id;
        let open = t.status != TicketStatus::Closed;
        let workable = staff && fixdesk_usecases::domain::ticket::ensure_can_work(actor, t).is_ok();
        let reopen = !open && rules.ensure_can_reopen(actor, t, clock.now()).is_ok();
        Self {
            take: staff
                && open
                && !t.is_assigned_to(actor.id)
                && (t.assigned_to_id.is_none() || actor.role == Role::Admin),
            status: workable && open,
            assign: workable && open && (actor.role == Role::Admin || rules.agents_may_hand_over),
            close: open && (workable || creator),
            reopen,
            reopen_until: (reopen && !staff).then(|| {
                let closed = t.closed_at.unwrap_or(t.status_changed_at);
                clock.exact(&(closed + rules.reopen_window))
            }),
            hide: creator && !staff,
            delete: actor.role == Role::Admin,
            write: staff || creator || following,
            wait: workable && open,
            edit: open && ticket::ensure_can_change(actor, t, &DETAILS).is_ok(),
            merge: workable && open,
            tick: workable && open,
            unfollow: following,
        }
    }
}

/// A stretch of the ticket's description: text, or one box of its checklist.
#[derive(Debug)]
pub struct DescriptionPart {
    pub text: String,
    /// A box: its line and whether it is ticked.
    pub check: Option<(usize, bool)>,
}

/// The description in stretches of text (lines kept together) and checklist boxes.
fn description_parts(text: &str) -> Vec<DescriptionPart> {
    let mut parts: Vec<DescriptionPart> = Vec::new();
    for line in text_lines(text) {
        match line {
            TextLine::Check { line, done, item } => parts.push(DescriptionPart {
                text: item.to_string(),
                check: Some((line, done)),
            }),
            TextLine::Text(l) => match parts.last_mut() {
                Some(p) if p.check.is_none() => {
                    p.text.push('\n');
                    p.text.push_str(l);
                }
                _ => parts.push(DescriptionPart {
                    text: l.to_string(),
                    check: None,
                }),
            },
        }
    }
    parts
}

#[derive(Template)]
#[template(path = "tickets/detail.html")]
struct DetailPage {
    description_parts: Vec<DescriptionPart>,
    l: Layout,
    id: i64,
    title: String,
    status: &'static str,
    status_label: &'static str,
    priority: &'static str,
    priority_label: &'static str,
    /// The priorities and what the ticket refers to, offered when the visitor may edit.
    priorities: Vec<Choice>,
    pickers: Option<Pickers>,
    category: String,
    equipment: Option<(i64, String)>,
    room: String,
    creator: String,
    assignee: String,
    created: When,
    updated: When,
    closed: Option<When>,
    resolution: String,
    messages: Vec<MessageRow>,
    attachments: Vec<AttachmentRow>,
    can: Actions,
    statuses: Vec<Choice>,
    assignees: Vec<Choice>,
    /// The clocks and their due times (staff, where a policy applies).
    due: Option<DuePanel>,
    waiting: bool,
    /// "… is working on this ticket": another staff member holds it (staff see it).
    held_by: Option<String>,
    timeline: Vec<TimelineRow>,
    /// Canned replies filled in for this ticket: (title, text) (staff who may write).
    canned: Vec<(String, String)>,
    /// Closed as a duplicate of this ticket.
    merged_into: Option<i64>,
    /// Duplicates merged into it: (number, title, who reported it — staff only).
    merged_here: Vec<(i64, String, String)>,
    /// Who else follows it (staff see them).
    followers: String,
}

/// `?edit=1`: the page with the form correcting the ticket's details open.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Opened {
    #[serde(default)]
    edit: Option<String>,
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Query(opened): Query<Opened>,
) -> Result<Response, WebError> {
    let actor = &session.actor;
    let tickets = service.tickets();
    let whole = tickets.in_full(actor, TicketId(id)).await?;
    let ticket = whole.ticket;
    // Seen now; a failure here must not cost the visitor the page.
    let _ = service
        .notifications()
        .mark_read_about(actor, ticket.id)
        .await;
    let reading = ticket.reading.clone();
    let category = whole.category.unwrap_or_default();
    let equipment = ticket
        .equipment_id
        .zip(whole.equipment)
        .map(|(e, name)| (e.0, name));
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let can = Actions::for_visitor(actor, &ticket, whole.following, &tickets.rules(), &l.clock);
    let assignees = if can.assign {
        let current = ticket
            .assigned_to_id
            .map(|a| a.to_string())
            .unwrap_or_default();
        crate::pages::assignees::choices(service, actor, t, &current).await?
    } else {
        Vec::new()
    };
    let canned = if can.write && actor.role.is_staff() {
        service
            .canned_replies()
            .list(actor, Some(ticket.id))
            .await?
            .into_iter()
            .filter_map(|(r, text)| Some((r.title, text?)))
            .collect()
    } else {
        Vec::new()
    };
    // The categories and every item are read only when the form is asked for (`?edit=1`),
    // not on every view of a ticket.
    let pickers = if can.edit && opened.edit.is_some() {
        let category = ticket
            .category_id
            .map(|c| c.to_string())
            .unwrap_or_default();
        let item = ticket
            .equipment_id
            .map(|e| e.to_string())
            .unwrap_or_default();
        Some(Pickers::load(service, actor, &category, &item).await?)
    } else {
        None
    };
    let calendar = whole.calendar.unwrap_or_default();
    let clock = l.clock;
    page(&DetailPage {
        canned,
        merged_into: ticket.merged_into_id.map(|m| m.0),
        merged_here: whole
            .merged_here
            .into_iter()
            .map(|d| (d.id.0, d.title, d.creator_name.unwrap_or_default()))
            .collect(),
        followers: whole.followers.join(", "),
        due: reading.map(|r| DuePanel::new(t, &clock, &r, &calendar)),
        waiting: ticket.waiting_on_requester,
        held_by: ticket
            .assigned_to_name
            .as_ref()
            .filter(|_| {
                actor.role.is_staff()
                    && ticket.status != TicketStatus::Closed
                    && !ticket.is_assigned_to(actor.id)
            })
            .map(|name| t.held_by.replace("{}", name)),
        timeline: whole
            .timeline
            .into_iter()
            .map(|e| TimelineRow::new(t, &clock, e))
            .collect(),
        id: ticket.id.0,
        status: ticket.status.as_str(),
        status_label: view::status_label(t, ticket.status),
        priority: ticket.priority.as_str(),
        priority_label: view::priority_label(t, ticket.priority),
        priorities: view::priority_choices(t, ticket.priority.as_str()),
        pickers,
        statuses: [TicketStatus::New, TicketStatus::InProgress]
            .into_iter()
            .map(|s| Choice::new(s.as_str(), view::status_label(t, s), ticket.status.as_str()))
            .collect(),
        category,
        equipment,
        room: ticket.room_number.clone(),
        creator: ticket.creator_name.clone().unwrap_or_default(),
        assignee: ticket.assigned_to_name.clone().unwrap_or_default(),
        created: clock.when(&ticket.created_at),
        updated: clock.when(&ticket.updated_at),
        closed: clock.when_opt(&ticket.closed_at),
        resolution: ticket.resolution.clone().unwrap_or_default(),
        messages: whole
            .messages
            .into_iter()
            .map(|m| MessageRow {
                author: m.author_name.unwrap_or_default(),
                mine: m.user_id == actor.id,
                internal: m.internal,
                text: m.message,
                at: clock.when(&m.created_at),
            })
            .collect(),
        attachments: whole
            .attachments
            .into_iter()
            .map(|a| AttachmentRow::new(a, &clock))
            .collect(),
        can,
        assignees,
        description_parts: description_parts(&ticket.description),
        title: ticket.title,
        l,
    })
}
