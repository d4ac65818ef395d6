use async_trait::async_trait;
use fixdesk_domain::{
    Actor, Attachment, ClientInfo, DeskRules, EquipmentId, MessageText, NewTicket, Resolution,
    Ticket, TicketChanges, TicketId, TicketMessage, TicketQuery, TicketStatus, UserId,
};

use crate::ServiceError;

/// A page of tickets and how many match in all.
#[derive(Debug, Clone)]
pub struct TicketPage {
    pub items: Vec<Ticket>,
    pub total: u64,
}

/// A ticket with everything its page shows, read at once: its thread, story and files as the
/// reader may see them, and the names of what it refers to.
#[derive(Debug, Clone)]
pub struct TicketInFull {
    pub ticket: Ticket,
    pub messages: Vec<TicketMessage>,
    pub timeline: Vec<fixdesk_domain::timeline::TimelineEntry>,
    pub attachments: Vec<Attachment>,
    /// The category's name (also when it has since been retired).
    pub category: Option<String>,
    /// The item's name, when the ticket is about one.
    pub equipment: Option<String>,
    /// The business calendar its clocks run on (staff, where a policy applies).
    pub calendar: Option<String>,
    /// The duplicates merged into it, oldest first (their numbers and titles for anyone who
    /// sees the ticket; requesters' names only for staff).
    pub merged_here: Vec<Ticket>,
    /// Who follows it besides its requester (staff only; empty for others).
    pub followers: Vec<String>,
    /// Whether the reader follows it (a requester of one of its duplicates, or who joined it).
    pub following: bool,
}

/// The life of a repair ticket. Visibility and field-level rules are those of
/// `fixdesk_domain::ticket`; every change writes its audit row in the same transaction.
#[async_trait]
pub trait TicketUseCases: Send + Sync {
    async fn create(
        &self,
        actor: &Actor,
        new: NewTicket,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Tickets the actor may see (users: their own, not hidden), filtered, sorted and paged.
    async fn list(&self, actor: &Actor, query: TicketQuery) -> Result<TicketPage, ServiceError>;
    async fn get(&self, actor: &Actor, id: TicketId) -> Result<Ticket, ServiceError>;
    /// The ticket with its thread, story, files and the names its page shows, in one call.
    async fn in_full(&self, actor: &Actor, id: TicketId) -> Result<TicketInFull, ServiceError>;
    /// A signal each time ticket `id` changes (its fields, thread or files), by anyone, for a
    /// reader who may see it, so an open page follows what others do; ends with their session.
    async fn changes(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<futures::stream::BoxStream<'static, ()>, ServiceError>;
    /// Applies the fields that differ from the ticket's; refuses the whole request if any of
    /// them may not be changed by the actor.
    async fn update(
        &self,
        actor: &Actor,
        id: TicketId,
        changes: TicketChanges,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Admins delete; a user hides their own ticket from themself.
    async fn delete(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// Staff assign a ticket to an active agent or admin.
    async fn assign(
        &self,
        actor: &Actor,
        id: TicketId,
        assignee: UserId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// A staff member takes the ticket; of two taking it at once, one gets it and the other a
    /// conflict.
    async fn claim(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    async fn set_status(
        &self,
        actor: &Actor,
        id: TicketId,
        status: TicketStatus,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// The creator or staff close the ticket (closing a closed ticket changes nothing).
    async fn close(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Staff close the ticket with a final message, which also becomes its resolution if it
    /// has none. An empty message closes without posting.
    async fn close_with_message(
        &self,
        actor: &Actor,
        id: TicketId,
        message: String,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Closes an open ticket with how it was resolved (not blank): staff who may work it, or
    /// its creator. The resolution is what the creator reads; they may reopen within the
    /// desk's window.
    async fn resolve(
        &self,
        actor: &Actor,
        id: TicketId,
        resolution: Resolution,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Reopens a closed ticket: staff at any time, its creator within the desk's reopen
    /// window. It goes back to `in_progress` when someone holds it, else to the queue. The
    /// `reason`, when given, is posted to the thread in the same unit of work.
    async fn reopen(
        &self,
        actor: &Actor,
        id: TicketId,
        reason: Option<MessageText>,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Staff who work an open ticket tick (`done`) or clear the checklist box on line `line`
    /// of its description, in one unit of work (a tick sent twice changes nothing more).
    async fn tick(
        &self,
        actor: &Actor,
        id: TicketId,
        line: usize,
        done: bool,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Takes the assignee off an open ticket, which goes back to the queue (`new`).
    async fn unassign(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// Staff close duplicate `id` as merged into open ticket `into`: the duplicate links to it,
    /// its requester and followers follow `into` and hear of its progress. Answers the kept
    /// ticket.
    async fn merge(
        &self,
        actor: &Actor,
        id: TicketId,
        into: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// The actor joins an open ticket about an item ("the same problem here"): they read and
    /// write its thread as a requester and hear of its progress. Joining twice changes nothing.
    async fn follow(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<Ticket, ServiceError>;
    /// The actor stops following the ticket (they lose sight of it unless they filed it).
    async fn unfollow(
        &self,
        actor: &Actor,
        id: TicketId,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// The open tickets about an item, oldest first, so whoever reports it sees them before
    /// filing a duplicate (number, title and status: what anyone may join).
    async fn open_reports(
        &self,
        actor: &Actor,
        equipment: EquipmentId,
    ) -> Result<Vec<Ticket>, ServiceError>;
    /// The desk's rules, so a transport offers only what they allow.
    fn rules(&self) -> DeskRules;
    async fn messages(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TicketMessage>, ServiceError>;
    async fn message_count(&self, actor: &Actor, id: TicketId) -> Result<i64, ServiceError>;
    /// The ticket's story, oldest first, as the actor may see it (requesters see neither
    /// internal notes nor service-level events).
    async fn timeline(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<fixdesk_domain::timeline::TimelineEntry>, ServiceError>;
    /// The creator and staff write to the thread; staff may write an `internal` note, which
    /// only staff ever see.
    async fn post_message(
        &self,
        actor: &Actor,
        id: TicketId,
        text: MessageText,
        internal: bool,
        client: &ClientInfo,
    ) -> Result<TicketMessage, ServiceError>;
}
