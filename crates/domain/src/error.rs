//! Errors raised by domain rules. Their `Display` text is the message a client sees, in the
//! language of the API contract, so every transport shows the same words for the same rule.

use thiserror::Error;

/// A rule of the domain was broken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// One or more fields failed to parse; carries each field with its reason.
    #[error("{}", .0.first().map(|e| e.message.as_str()).unwrap_or("Invalid input"))]
    Invalid(Vec<FieldError>),
    #[error("Имя пользователя уже занято")]
    UsernameTaken,
    #[error("Email уже зарегистрирован в системе")]
    EmailTaken,
    #[error("Пользователь не найден")]
    UserNotFound,
    #[error("Нельзя удалить собственный аккаунт")]
    CannotDeleteSelf,
    #[error("Нельзя понизить, деактивировать или удалить последнего активного администратора")]
    LastAdmin,
    #[error("Неверный текущий пароль")]
    WrongCurrentPassword,
    #[error("Новый пароль должен содержать не менее 8 символов")]
    NewPasswordTooShort,
    #[error("Новый пароль должен содержать не более 128 символов")]
    NewPasswordTooLong,
    #[error("Недостаточно прав. Требуется роль администратора.")]
    AdminRequired,
    #[error("Недостаточно прав. Требуется роль агента или администратора.")]
    StaffRequired,
    #[error("Нет прав для просмотра данного пользователя")]
    CannotViewUser,
    #[error("Нет прав для обновления данного пользователя")]
    CannotUpdateUser,
    /// The audit log's own wording of "admins only", kept from the old API.
    #[error("Доступ разрешен только администраторам")]
    AuditAdminOnly,
    #[error("Запись журнала не найдена")]
    AuditRecordNotFound,
    #[error("Уведомление не найдено")]
    NotificationNotFound,

    #[error("Вложение не найдено")]
    AttachmentNotFound,
    #[error("Нет прав для добавления вложений к этой заявке")]
    CannotAttach,
    #[error("Нет прав для удаления этого вложения")]
    CannotDeleteAttachment,
    #[error(
        "Недопустимый тип файла. Разрешены только: jpg, jpeg, png, gif, heic, heif, webp, pdf, doc, docx, xls, xlsx, txt, zip, rar"
    )]
    FileTypeNotAllowed,
    #[error("Содержимое файла не соответствует его расширению")]
    FileContentMismatch,
    #[error("Размер файла превышает максимально допустимый (10 МБ)")]
    FileTooLarge,
    #[error("Файл не передан")]
    FileMissing,
    #[error("В базе уже есть заявки или пользователи: импорт выполняется только в пустую базу")]
    ImportTargetNotEmpty,
    #[error("Экспорт не найден")]
    ExportNotFound,
    #[error("Экспорт ещё не готов")]
    ExportNotReady,
    #[error("Слишком много заявок для одного листа Excel: выгрузите CSV или сузьте фильтр")]
    ExportTooLarge,
    #[error("Задача не найдена")]
    JobNotFound,
    #[error("Письмо не найдено или не сохранено целиком")]
    MailNotFound,

    #[error("Заявка не найдена")]
    TicketNotFound,
    #[error("Нет прав для просмотра данной заявки")]
    CannotViewTicket,
    #[error("Нет прав для изменения данной заявки")]
    CannotChangeTicket,
    #[error("Нет прав для закрытия данной заявки")]
    CannotCloseTicket,
    #[error("Нет прав для удаления данной заявки")]
    CannotDeleteTicket,
    /// A request tried to change a field its sender may not change.
    #[error("Недостаточно прав для изменения поля: {0}")]
    FieldForbidden(&'static str),
    #[error("Заявку можно изменить, только пока она новая (status = new)")]
    TicketLocked,
    #[error("Переоткрыть заявку может только агент или администратор")]
    ReopenStaffOnly,
    #[error("Срок, в который автор может переоткрыть заявку, истёк")]
    ReopenWindowPassed,
    #[error("Заявка не закрыта")]
    TicketNotClosed,
    #[error("Передавать заявку другому сотруднику может только администратор")]
    HandOverAdminOnly,
    #[error("Опишите решение: заявку нельзя закрыть без него")]
    ResolutionRequired,
    #[error("Менять статус заявки может только агент или администратор")]
    StatusStaffOnly,
    #[error("Заявка назначена на другого сотрудника")]
    AssignedToOther,
    #[error("Заявка уже взята в работу другим сотрудником")]
    AlreadyClaimed,
    #[error("Заявка закрыта")]
    TicketClosed,
    #[error("Заявку нельзя объединить с ней самой")]
    MergeIntoItself,
    #[error("Заявка, с которой нужно объединить, не найдена")]
    UnknownMergeTarget,
    #[error("Объединить можно только с открытой заявкой, которая сама не объединена с другой")]
    MergeTargetClosed,
    #[error("Присоединиться можно только к открытой заявке об оборудовании")]
    CannotFollowTicket,
    #[error("В этой строке описания нет пункта проверки")]
    NoChecklistItem,
    #[error("Только агенты и администраторы могут назначать заявки")]
    AssignStaffOnly,
    #[error("Только агенты и администраторы могут закрывать заявки с сообщением")]
    CloseWithMessageStaffOnly,
    #[error("Агент не найден")]
    AgentNotFound,
    #[error("Назначить заявку можно только активному агенту или администратору")]
    InvalidAssignee,

    #[error("Категория не найдена")]
    CategoryNotFound,
    /// A ticket names a category that does not exist or is inactive.
    #[error("Категория не найдена или неактивна")]
    UnknownCategory,
    #[error("Категория с таким именем уже существует")]
    CategoryNameTaken,

    #[error("Оборудование не найдено")]
    EquipmentNotFound,
    /// A ticket names equipment that does not exist.
    #[error("Указанное оборудование не найдено")]
    UnknownEquipment,
    #[error("Необходимо указать тип оборудования (type или category)")]
    EquipmentTypeRequired,
    #[error("Только администраторы могут удалять оборудование")]
    EquipmentDeleteAdminOnly,
    #[error("Необходимо указать тип обслуживания (maintenance_type или action_type)")]
    MaintenanceTypeRequired,
    #[error("Неверный формат даты. Используйте формат YYYY-MM-DD")]
    BadMaintenanceDate,

    #[error("Календарь не найден")]
    CalendarNotFound,
    /// A policy names a calendar that does not exist.
    #[error("Указанный календарь не найден")]
    UnknownCalendar,
    #[error("Календарь с таким именем уже существует")]
    CalendarNameTaken,
    #[error("Календарь используется политиками обслуживания")]
    CalendarInUse,
    #[error("Политика обслуживания не найдена")]
    PolicyNotFound,
    #[error("Внутренние заметки доступны только агентам и администраторам")]
    NotesStaffOnly,
    #[error("Проверка сроков уже запланирована")]
    SweepPending,
    #[error("Резервное копирование не настроено (backup_dir)")]
    BackupsOff,
    #[error("Резервная копия уже создаётся")]
    BackupPending,
    #[error("Правило назначения не найдено")]
    RuleNotFound,
    #[error("Для этой категории уже есть правило назначения")]
    RuleExists,
    #[error("Отсутствие не найдено")]
    AbsenceNotFound,
    #[error("Очередь пуста: новых заявок без исполнителя нет")]
    QueueEmpty,
    #[error("Шаблон ответа не найден")]
    CannedReplyNotFound,
    #[error("План обслуживания не найден")]
    ScheduleNotFound,
    #[error("Общие шаблоны ответов ведут администраторы")]
    SharedRepliesAdminOnly,
}

/// What sort of refusal an error is, so each transport maps it to its own answer (a status
/// code, a page) in one place and the two never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input itself is malformed (a field failed its checks).
    Invalid,
    /// The thing asked for does not exist (or may not be seen).
    NotFound,
    /// The actor may not do this.
    Forbidden,
    /// The thing is in a state that does not allow it right now.
    Conflict,
    /// A well-formed request that a rule refuses (taken names, wrong password, bad file).
    Rejected,
}

impl DomainError {
    /// The input field a refusal is about, when it is about one (so a form can show it there).
    pub fn field(&self) -> Option<&'static str> {
        use DomainError as D;
        match self {
            D::ResolutionRequired => Some("resolution"),
            D::WrongCurrentPassword => Some("current"),
            D::NewPasswordTooShort | D::NewPasswordTooLong => Some("password"),
            D::UsernameTaken => Some("username"),
            D::EmailTaken => Some("email"),
            D::CategoryNameTaken => Some("name"),
            D::UnknownCategory => Some("category_id"),
            D::UnknownEquipment => Some("equipment_id"),
            D::InvalidAssignee | D::AgentNotFound => Some("assignee"),
            D::UnknownCalendar => Some("calendar_id"),
            D::CalendarNameTaken => Some("name"),
            D::RuleExists => Some("category_id"),
            _ => None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        use DomainError as D;
        match self {
            D::Invalid(_)
            | D::EquipmentTypeRequired
            | D::ResolutionRequired
            | D::MaintenanceTypeRequired
            | D::BadMaintenanceDate => ErrorKind::Invalid,
            D::UserNotFound
            | D::AuditRecordNotFound
            | D::NotificationNotFound
            | D::AttachmentNotFound
            | D::ExportNotFound
            | D::JobNotFound
            | D::MailNotFound
            | D::TicketNotFound
            | D::CategoryNotFound
            | D::EquipmentNotFound
            | D::AgentNotFound
            | D::CalendarNotFound
            | D::PolicyNotFound
            | D::RuleNotFound
            | D::AbsenceNotFound
            | D::QueueEmpty
            | D::CannedReplyNotFound
            | D::ScheduleNotFound => ErrorKind::NotFound,
            D::AdminRequired
            | D::StaffRequired
            | D::CannotViewUser
            | D::CannotUpdateUser
            | D::AuditAdminOnly
            | D::CannotViewTicket
            | D::CannotChangeTicket
            | D::CannotCloseTicket
            | D::CannotDeleteTicket
            | D::FieldForbidden(_)
            | D::ReopenStaffOnly
            | D::ReopenWindowPassed
            | D::HandOverAdminOnly
            | D::StatusStaffOnly
            | D::AssignedToOther
            | D::CannotFollowTicket
            | D::AssignStaffOnly
            | D::CloseWithMessageStaffOnly
            | D::EquipmentDeleteAdminOnly
            | D::CannotAttach
            | D::CannotDeleteAttachment
            | D::NotesStaffOnly
            | D::SharedRepliesAdminOnly => ErrorKind::Forbidden,
            D::TicketLocked
            | D::AlreadyClaimed
            | D::TicketClosed
            | D::MergeTargetClosed
            | D::TicketNotClosed
            | D::ExportNotReady
            | D::CalendarInUse
            | D::SweepPending
            | D::BackupPending => ErrorKind::Conflict,
            D::UsernameTaken
            | D::EmailTaken
            | D::CannotDeleteSelf
            | D::LastAdmin
            | D::WrongCurrentPassword
            | D::NewPasswordTooShort
            | D::NewPasswordTooLong
            | D::InvalidAssignee
            | D::MergeIntoItself
            | D::UnknownMergeTarget
            | D::NoChecklistItem
            | D::UnknownCategory
            | D::CategoryNameTaken
            | D::UnknownEquipment
            | D::FileTypeNotAllowed
            | D::FileContentMismatch
            | D::FileTooLarge
            | D::FileMissing
            | D::ImportTargetNotEmpty
            | D::ExportTooLarge
            | D::UnknownCalendar
            | D::CalendarNameTaken
            | D::RuleExists
            | D::BackupsOff => ErrorKind::Rejected,
        }
    }
}

/// Why one field of an input was rejected. `kind` follows the pydantic error types the old
/// API emitted (`missing`, `string_too_short`, `value_error`, …) so clients can branch on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub kind: &'static str,
    pub message: String,
    /// The bound a length complaint is about, so a transport can word it in its own language.
    pub limit: Option<usize>,
}

impl FieldError {
    pub fn new(field: &'static str, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            kind,
            message: message.into(),
            limit: None,
        }
    }

    pub fn with_limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        DomainError::Invalid(vec![e])
    }
}
