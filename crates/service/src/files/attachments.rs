//! Files attached to tickets. Uploads stream into the file store under a server-chosen name;
//! the row and its audit entry are written only once the file is complete and checked, and a
//! file is removed only after the deletion of its row has committed.

use std::sync::Arc;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{
    Actor, Attachment, AuditAction, AuditEntity, ClientInfo, DomainError, Role, TicketId,
    UploadName, attachment::MAX_ATTACHMENT_BYTES, ticket::visibility,
};
use fixdesk_repository::{attachments, batch::Batch, tickets};
use fixdesk_usecases::{AttachmentUseCases, ByteStream, ServiceError, StagedFile, async_trait};
use serde_json::json;

use crate::{
    context::Context,
    files::{StoreError, content_matches, remove_all},
    trail,
};

#[derive(Debug, Clone)]
pub struct Attachments {
    ctx: Arc<Context>,
}

impl Attachments {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// The ticket, if the actor may see it.
    async fn visible_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<fixdesk_domain::Ticket, ServiceError> {
        let conn = self.ctx.db.reader();
        let t = tickets::find(conn, id)
            .await?
            .ok_or(DomainError::TicketNotFound)?;
        crate::tickets::access(conn, actor, &t).await?;
        Ok(t)
    }

    async fn load(&self, actor: &Actor, id: i64) -> Result<Attachment, ServiceError> {
        let a = attachments::find(self.ctx.db.reader(), id)
            .await?
            .ok_or(DomainError::AttachmentNotFound)?;
        // Someone who may not see the ticket may not learn its attachment exists.
        self.visible_ticket(actor, a.ticket_id)
            .await
            .map_err(|_| DomainError::AttachmentNotFound)?;
        Ok(a)
    }

    /// Whether the actor may attach files to the ticket: staff, or its creator while they
    /// still see it.
    async fn attachable(&self, actor: &Actor, ticket: TicketId) -> Result<(), ServiceError> {
        attachable_on(self.ctx.db.reader(), actor, ticket).await
    }

    /// Writes the row of a received file and its audit entry; the file goes if they fail.
    async fn record(
        &self,
        actor: &Actor,
        ticket: TicketId,
        file: StagedFile,
        description: Option<String>,
        client: &ClientInfo,
    ) -> Result<Attachment, ServiceError> {
        let key = file.key.clone();
        let saved = async {
            let now = self.ctx.clock.now();
            let uow = self.ctx.db.begin_write().await?;
            let a = attach_in(uow.conn(), actor, ticket, file, description, client, now).await?;
            uow.commit().await?;
            Ok::<_, ServiceError>(a)
        }
        .await;
        if saved.is_err() {
            remove_all(self.ctx.files.as_ref(), vec![key]).await;
        }
        saved
    }

    fn may_change(actor: &Actor, a: &Attachment) -> Result<(), DomainError> {
        if actor.role == Role::Admin || a.uploaded_by == actor.id {
            Ok(())
        } else {
            Err(DomainError::CannotDeleteAttachment)
        }
    }
}

/// Whether the actor may attach files to the ticket, read on `conn`.
async fn attachable_on<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    ticket: TicketId,
) -> Result<(), ServiceError> {
    let t = tickets::find(conn, ticket)
        .await?
        .ok_or(DomainError::TicketNotFound)?;
    if !actor.role.is_staff() {
        if t.creator_id != actor.id {
            return Err(DomainError::CannotAttach.into());
        }
        // Hidden by its creator: gone for them (404), like every other route.
        visibility(actor, &t)?;
    }
    Ok(())
}

/// Puts a staged file on a ticket in the caller's unit of work: checks the actor may, writes
/// the row and its audit entry. The caller removes the file if the unit of work fails.
pub(crate) async fn attach_in<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    ticket: TicketId,
    file: StagedFile,
    description: Option<String>,
    client: &ClientInfo,
    now: chrono::NaiveDateTime,
) -> Result<Attachment, ServiceError> {
    attachable_on(conn, actor, ticket).await?;
    let row = attachments::NewAttachmentRow {
        ticket_id: ticket,
        filename: file.filename,
        stored_filename: file.stored_filename,
        file_path: file.key,
        file_size: i64::try_from(file.size).unwrap_or(i64::MAX),
        content_type: file.content_type,
        description,
        uploaded_by: actor.id,
    };
    let a = attachments::insert(conn, row, now).await?;
    let d = format!("Добавлено вложение {} к заявке #{}", a.filename, ticket);
    let audit = entry(actor, AuditAction::Create, &a, d, client);
    trail::append(conn, Batch::on(conn), audit, now).await?;
    Ok(a)
}

fn entry(
    actor: &Actor,
    action: AuditAction,
    a: &Attachment,
    description: String,
    client: &ClientInfo,
) -> fixdesk_domain::NewAuditEntry {
    let values = json!({"ticket_id": a.ticket_id.0, "filename": a.filename, "file_size": a.file_size, "content_type": a.content_type});
    let (old, new) = if action == AuditAction::Delete {
        (Some(values), None)
    } else {
        (None, Some(values))
    };
    trail::entry(
        Some(actor.id),
        action,
        AuditEntity::Attachment,
        Some(a.id),
        description,
        old,
        new,
        client,
    )
}

#[async_trait]
impl AttachmentUseCases for Attachments {
    async fn upload(
        &self,
        actor: &Actor,
        ticket: TicketId,
        filename: &str,
        description: Option<String>,
        body: ByteStream,
        client: &ClientInfo,
    ) -> Result<Attachment, ServiceError> {
        self.attachable(actor, ticket).await?;
        let description = match description {
            Some(d) => {
                fixdesk_domain::text::plain("description", &d).map_err(DomainError::from)?;
                Some(d.trim().chars().take(1000).collect::<String>()).filter(|d| !d.is_empty())
            }
            None => None,
        };
        let file = self.stage(actor, filename, body).await?;
        self.record(actor, ticket, file, description, client).await
    }

    async fn stage(
        &self,
        _actor: &Actor,
        filename: &str,
        body: ByteStream,
    ) -> Result<StagedFile, ServiceError> {
        let name = UploadName::parse(filename)?;
        let stored_filename = format!("{}.{}", uuid::Uuid::new_v4(), name.extension);
        // Files are kept by upload, not by ticket: a file is received before its ticket may
        // exist, and rows (not directories) say which ticket a file belongs to.
        let key = format!("uploads/{stored_filename}");
        let stored = match self.ctx.files.put(&key, body, MAX_ATTACHMENT_BYTES).await {
            Ok(s) => s,
            Err(StoreError::TooLarge) => return Err(DomainError::FileTooLarge.into()),
            Err(e) => return Err(ServiceError::internal(e)),
        };
        if !content_matches(name.extension, &stored.head) {
            remove_all(self.ctx.files.as_ref(), vec![key]).await;
            return Err(DomainError::FileContentMismatch.into());
        }
        Ok(StagedFile {
            key,
            stored_filename,
            filename: name.display,
            content_type: name.content_type.to_string(),
            size: stored.size,
        })
    }

    async fn attach(
        &self,
        actor: &Actor,
        ticket: TicketId,
        file: StagedFile,
        client: &ClientInfo,
    ) -> Result<Attachment, ServiceError> {
        if let Err(e) = self.attachable(actor, ticket).await {
            self.discard(vec![file]).await;
            return Err(e);
        }
        self.record(actor, ticket, file, None, client).await
    }

    async fn discard(&self, files: Vec<StagedFile>) {
        remove_all(
            self.ctx.files.as_ref(),
            files.into_iter().map(|f| f.key).collect(),
        )
        .await;
    }

    async fn list(&self, actor: &Actor, ticket: TicketId) -> Result<Vec<Attachment>, ServiceError> {
        self.visible_ticket(actor, ticket).await?;
        Ok(attachments::for_ticket(self.ctx.db.reader(), ticket).await?)
    }

    async fn download(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(Attachment, ByteStream), ServiceError> {
        let a = self.load(actor, id).await?;
        match self.ctx.files.open(&a.file_path).await {
            Ok(body) => Ok((a, body)),
            Err(StoreError::NotFound) => Err(DomainError::AttachmentNotFound.into()),
            Err(e) => Err(ServiceError::internal(e)),
        }
    }

    async fn describe(
        &self,
        actor: &Actor,
        id: i64,
        description: Option<String>,
    ) -> Result<Attachment, ServiceError> {
        let a = self.load(actor, id).await?;
        Self::may_change(actor, &a)?;
        let description = description
            .map(|d| d.trim().chars().take(1000).collect::<String>())
            .filter(|d| !d.is_empty());
        let uow = self.ctx.db.begin_write().await?;
        let updated = attachments::set_description(uow.conn(), id, description).await?;
        uow.commit().await?;
        Ok(updated)
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: i64,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let a = self.load(actor, id).await?;
        Self::may_change(actor, &a)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        attachments::delete(uow.conn(), id).await?;
        let d = format!("Удалено вложение {} заявки #{}", a.filename, a.ticket_id);
        trail::commit(uow, entry(actor, AuditAction::Delete, &a, d, client), now).await?;
        remove_all(self.ctx.files.as_ref(), vec![a.file_path]).await;
        Ok(())
    }
}
