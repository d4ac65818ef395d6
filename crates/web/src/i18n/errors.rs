//! What a refusal says to the visitor. Russian is the service's own wording (the `Display`
//! text every transport shares); English is translated here, one line per rule, so no error
//! the service can give reaches an English page untranslated.

use std::borrow::Cow;

use fixdesk_usecases::{ServiceError, domain::DomainError};

use super::Lang;

pub fn error_text(e: &ServiceError, lang: Lang) -> Cow<'static, str> {
    match (lang, e) {
        (_, ServiceError::Internal(_)) => match lang {
            Lang::Ru => "Внутренняя ошибка сервера. Попробуйте ещё раз позже.".into(),
            Lang::En => "Something went wrong on the server. Please try again later.".into(),
        },
        (Lang::Ru, e) => e.to_string().into(),
        (Lang::En, ServiceError::Domain(d)) => english_domain(d),
        (Lang::En, e) => english_service(e).into(),
    }
}

fn english_service(e: &ServiceError) -> &'static str {
    match e {
        ServiceError::NotAuthenticated => "Please sign in.",
        ServiceError::InvalidToken => "Your session has ended. Please sign in again.",
        ServiceError::BadCredentials => "Wrong username or password.",
        ServiceError::InactiveUser => "This account is deactivated.",
        ServiceError::TooManyAttempts { .. } => {
            "Too many failed sign-in attempts. Please try again later."
        }
        ServiceError::Overloaded { .. } => "The server is busy. Please try again in a moment.",
        ServiceError::Unavailable { .. } => {
            "Nothing was saved: the server cannot store data right now. Please try again later."
        }
        ServiceError::Domain(_) | ServiceError::Internal(_) => "Something went wrong.",
    }
}

fn english_domain(e: &DomainError) -> Cow<'static, str> {
    use DomainError as D;
    let text = match e {
        D::Invalid(fields) => {
            return fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ")
                .into();
        }
        D::FieldForbidden(field) => {
            return format!("You may not change the field: {field}").into();
        }
        D::UsernameTaken => "This username is already taken.",
        D::EmailTaken => "This e-mail address is already registered.",
        D::UserNotFound => "User not found.",
        D::CannotDeleteSelf => "You cannot delete your own account.",
        D::LastAdmin => "The last active administrator cannot be demoted, deactivated or deleted.",
        D::WrongCurrentPassword => "The current password is wrong.",
        D::NewPasswordTooShort => "The new password must have at least 8 characters.",
        D::NewPasswordTooLong => "The new password must have at most 128 characters.",
        D::AdminRequired | D::AuditAdminOnly => "Only administrators may do this.",
        D::StaffRequired => "Only agents and administrators may do this.",
        D::CannotViewUser => "You may not view this user.",
        D::CannotUpdateUser => "You may not change this user.",
        D::AuditRecordNotFound => "Audit record not found.",
        D::NotificationNotFound => "Notification not found.",
        D::AttachmentNotFound => "Attachment not found.",
        D::CannotAttach => "You may not attach files to this ticket.",
        D::CannotDeleteAttachment => "You may not delete this attachment.",
        D::FileTypeNotAllowed => {
            "This file type is not allowed. Allowed: jpg, jpeg, png, gif, heic, heif, webp, pdf, doc, docx, xls, xlsx, txt, zip, rar."
        }
        D::FileContentMismatch => "The file's content does not match its extension.",
        D::FileTooLarge => "The file is larger than the 10 MB limit.",
        D::FileMissing => "No file was sent.",
        D::ImportTargetNotEmpty => "The database already holds tickets or users.",
        D::ExportNotFound => "Export not found.",
        D::ExportNotReady => "The export is not ready yet.",
        D::ExportTooLarge => {
            "Too many tickets for one Excel sheet: export CSV or narrow the filter."
        }
        D::JobNotFound => "Job not found.",
        D::MailNotFound => "No such mail, or it was not kept whole.",
        D::TicketNotFound => "Ticket not found.",
        D::CannotViewTicket => "You may not view this ticket.",
        D::CannotChangeTicket => "You may not change this ticket.",
        D::CannotCloseTicket => "You may not close this ticket.",
        D::CannotDeleteTicket => "You may not delete this ticket.",
        D::TicketLocked => "The ticket can only be edited while it is new.",
        D::ReopenStaffOnly => "Only an agent or administrator can reopen a ticket.",
        D::ReopenWindowPassed => "The time in which the creator may reopen this ticket has passed.",
        D::TicketNotClosed => "The ticket is not closed.",
        D::HandOverAdminOnly => "Only an administrator may hand a ticket to another staff member.",
        D::ResolutionRequired => "Describe the resolution: a ticket cannot be closed without one.",
        D::StatusStaffOnly => "Only an agent or administrator can change the status.",
        D::AssignedToOther => "The ticket is assigned to someone else.",
        D::AlreadyClaimed => "Another staff member has already taken this ticket.",
        D::TicketClosed => "The ticket is closed.",
        D::MergeIntoItself => "A ticket cannot be merged into itself.",
        D::UnknownMergeTarget => "The ticket to merge into was not found.",
        D::MergeTargetClosed => {
            "A ticket can only be merged into an open ticket that is not itself merged."
        }
        D::CannotFollowTicket => "Only an open ticket about an item can be joined.",
        D::NoChecklistItem => "That line of the description is no checklist item.",
        D::AssignStaffOnly => "Only agents and administrators can assign tickets.",
        D::CloseWithMessageStaffOnly => {
            "Only agents and administrators can close a ticket with a message."
        }
        D::AgentNotFound => "Agent not found.",
        D::InvalidAssignee => "Tickets can only be assigned to an active agent or administrator.",
        D::CategoryNotFound => "Category not found.",
        D::UnknownCategory => "The category does not exist or is inactive.",
        D::CategoryNameTaken => "A category with this name already exists.",
        D::EquipmentNotFound => "Equipment not found.",
        D::UnknownEquipment => "The chosen equipment does not exist.",
        D::EquipmentTypeRequired => "Choose the equipment type.",
        D::EquipmentDeleteAdminOnly => "Only administrators can delete equipment.",
        D::MaintenanceTypeRequired => "Choose the kind of maintenance.",
        D::BadMaintenanceDate => "Invalid date. Use the format YYYY-MM-DD.",
        D::CalendarNotFound => "Calendar not found.",
        D::UnknownCalendar => "The chosen calendar does not exist.",
        D::CalendarNameTaken => "A calendar with this name already exists.",
        D::CalendarInUse => "Service-level policies count on this calendar.",
        D::PolicyNotFound => "Service-level policy not found.",
        D::NotesStaffOnly => "Only agents and administrators can write internal notes.",
        D::SweepPending => "A check of the due dates is already queued.",
        D::BackupsOff => "Backups are not set up (backup_dir).",
        D::BackupPending => "A backup is being made already.",
        D::RuleNotFound => "Assignment rule not found.",
        D::RuleExists => "This category already has an assignment rule.",
        D::AbsenceNotFound => "Absence not found.",
        D::QueueEmpty => "The queue is empty: no new tickets without an assignee.",
        D::CannedReplyNotFound => "Canned reply not found.",
        D::ScheduleNotFound => "Maintenance schedule not found.",
        D::SharedRepliesAdminOnly => "Shared canned replies are kept by administrators.",
    };
    text.into()
}

#[cfg(test)]
mod tests {
    use fixdesk_usecases::domain::FieldError;

    use super::*;

    #[test]
    fn each_language_gets_its_own_words() {
        let e = ServiceError::Domain(DomainError::AlreadyClaimed);
        assert_eq!(
            error_text(&e, Lang::Ru),
            DomainError::AlreadyClaimed.to_string()
        );
        assert!(error_text(&e, Lang::En).contains("already taken"));
        let invalid = ServiceError::Domain(DomainError::Invalid(vec![FieldError::new(
            "title",
            "string_too_short",
            "String should have at least 1 character",
        )]));
        assert_eq!(
            error_text(&invalid, Lang::En),
            "title: String should have at least 1 character"
        );
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let e = ServiceError::internal(std::io::Error::other("SELECT secret FROM users"));
        for lang in [Lang::Ru, Lang::En] {
            assert!(!error_text(&e, lang).contains("SELECT"));
        }
    }
}
