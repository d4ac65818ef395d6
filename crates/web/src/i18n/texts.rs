//! Every word the pages show, in both languages, side by side so neither falls behind: a key
//! missing in one language does not compile.

macro_rules! texts {
    ($($key:ident => $ru:literal, $en:literal;)*) => {
        /// The words of one language.
        #[derive(Debug)]
        pub struct Texts {
            $(pub $key: &'static str,)*
        }

        pub static RU: Texts = Texts { $($key: $ru,)* };
        pub static EN: Texts = Texts { $($key: $en,)* };
    };
}

texts! {
    other_language => "English", "Русский";
    skip_to_content => "Перейти к содержимому", "Skip to content";
    navigation => "Разделы", "Sections";
    back_home => "На главную", "Back to the start page";
    // Sections
    tickets => "Заявки", "Tickets";
    new_ticket => "Новая заявка", "New ticket";
    equipment => "Оборудование", "Equipment";
    users => "Пользователи", "Users";
    categories => "Категории", "Categories";
    audit_log => "Журнал аудита", "Audit log";
    statistics => "Статистика", "Statistics";
    notifications => "Уведомления", "Notifications";
    // Signing in
    sign_in => "Войти", "Sign in";
    sign_out => "Выйти", "Sign out";
    username => "Имя пользователя", "Username";
    password => "Пароль", "Password";
    session_expired => "Сеанс завершён. Войдите снова.", "Your session has ended. Please sign in again.";
    change_password => "Смена пароля", "Change password";
    signed_in_as => "Вы вошли как", "Signed in as";
    current_password => "Текущий пароль", "Current password";
    new_password => "Новый пароль (не менее 8 символов)", "New password (at least 8 characters)";
    password_changed => "Пароль изменён. Другие сеансы завершены.", "Password changed. Your other sessions were signed out.";
    // Tickets
    title => "Тема", "Title";
    status => "Статус", "Status";
    priority => "Приоритет", "Priority";
    category => "Категория", "Category";
    room => "Кабинет", "Room";
    assignee => "Исполнитель", "Assignee";
    creator => "Автор", "Filed by";
    created => "Создана", "Created";
    updated => "Изменена", "Updated";
    closed_at => "Закрыта", "Closed";
    description => "Описание", "Description";
    resolution => "Решение", "Resolution";
    equipment_item => "Оборудование", "Equipment";
    view => "Показать", "Show";
    view_all => "Все заявки", "All tickets";
    view_queue => "Очередь новых", "New tickets queue";
    view_mine => "Мои заявки", "My tickets";
    any => "Любой", "Any";
    search => "Поиск", "Search";
    search_hint => "Тема или описание", "Title or description";
    apply => "Применить", "Apply";
    no_tickets => "Заявок не найдено.", "No tickets found.";
    export_csv => "Выгрузить в CSV", "Export to CSV";
    export_running => "Выгрузка готовится, страница обновится сама.", "The export is being prepared; this page refreshes by itself.";
    download_csv => "Скачать CSV", "Download CSV";
    state => "Состояние", "State";
    status_new => "Новая", "New";
    status_in_progress => "В работе", "In progress";
    status_closed => "Закрыта", "Closed";
    priority_low => "Низкий", "Low";
    priority_medium => "Средний", "Medium";
    priority_high => "Высокий", "High";
    messages => "Переписка", "Messages";
    no_messages => "Сообщений пока нет.", "No messages yet.";
    write_message => "Сообщение", "Message";
    send => "Отправить", "Send";
    work => "Работа с заявкой", "Work on this ticket";
    take_ticket => "Взять в работу", "Take this ticket";
    assign => "Назначить", "Assign";
    close_ticket => "Закрыть заявку", "Close ticket";
    hide_ticket => "Скрыть из моего списка", "Hide from my list";
    confirm_hide => "Скрыть заявку из вашего списка?", "Hide this ticket from your list?";
    confirm_delete => "Удалить безвозвратно?", "Delete for good?";
    attachments => "Файлы", "Files";
    no_attachments => "Файлов нет.", "No files.";
    attach_file => "Прикрепить файл", "Attach a file";
    upload => "Загрузить", "Upload";
    file_rules => "jpg, png, gif, pdf, doc(x), xls(x), txt, zip, rar — до 10 МБ", "jpg, png, gif, pdf, doc(x), xls(x), txt, zip, rar — up to 10 MB";
    file_ticket => "Отправить заявку", "File ticket";
    ticket_created => "Заявка создана.", "Ticket filed.";
    ticket_taken => "Заявка взята в работу.", "You took the ticket.";
    ticket_closed => "Заявка закрыта.", "Ticket closed.";
    ticket_hidden => "Заявка скрыта из вашего списка.", "Ticket hidden from your list.";
    message_sent => "Сообщение отправлено.", "Message sent.";
    file_attached => "Файл прикреплён.", "File attached.";
    open_ticket => "Заявка", "Ticket";
    // Lists
    page => "Страница", "Page";
    pages => "Страницы", "Pages";
    previous => "Назад", "Previous";
    next => "Дальше", "Next";
    nothing_found => "Ничего не найдено.", "Nothing found.";
    save => "Сохранить", "Save";
    saved => "Сохранено.", "Saved.";
    edit => "Изменить", "Edit";
    delete => "Удалить", "Delete";
    deleted => "Удалено.", "Deleted.";
    name => "Название", "Name";
    active => "Активен", "Active";
    inactive => "неактивен", "inactive";
    // Equipment
    add_equipment => "Добавить оборудование", "Add equipment";
    equipment_type => "Тип", "Type";
    model => "Модель", "Model";
    serial_number => "Серийный номер", "Serial number";
    inventory_number => "Инвентарный номер", "EquipmentRegister number";
    location => "Расположение", "Location";
    responsible_person => "Ответственный", "Responsible person";
    notes => "Примечания", "Notes";
    last_maintenance => "Последнее обслуживание", "Last maintenance";
    maintenance_history => "История обслуживания", "Maintenance history";
    no_maintenance => "Обслуживания не было.", "No maintenance yet.";
    maintenance_kind => "Вид работ", "Kind of work";
    record_maintenance => "Записать обслуживание", "Record maintenance";
    maintenance_recorded => "Обслуживание записано.", "Maintenance recorded.";
    no_equipment => "Оборудование не найдено.", "No equipment found.";
    // Users and categories
    add_user => "Добавить пользователя", "Add user";
    full_name => "ФИО", "Full name";
    role => "Роль", "Role";
    user => "Пользователь", "User";
    role_admin => "Администратор", "Administrator";
    role_agent => "Агент", "Agent";
    role_user => "Пользователь", "User";
    reset_password => "Новый пароль", "New password";
    reset_password_hint => "Оставьте пустым, чтобы не менять. Смена пароля завершает сеансы пользователя.", "Leave blank to keep it. A new password signs the user out everywhere.";
    add_category => "Добавить категорию", "Add category";
    no_categories => "Категорий нет.", "No categories.";
    // Audit
    action => "Действие", "Action";
    object => "Объект", "Object";
    object_id => "№ объекта", "Object #";
    from => "С", "From";
    to => "По", "To";
    when => "Когда", "When";
    // Notifications
    mark_read => "Прочитано", "Mark read";
    mark_all_read => "Отметить все прочитанными", "Mark all read";
    marked_read => "Отмечено прочитанным.", "Marked read.";
    show_all => "Показать все", "Show all";
    show_unread => "Только непрочитанные", "Unread only";
    notification_settings => "Какие уведомления получать", "Which notifications to receive";
    kind_ticket_created => "Новая заявка (сотрудникам)", "A new ticket (staff)";
    kind_ticket_assigned => "Заявка назначена мне", "A ticket assigned to me";
    kind_ticket_updated => "Статус моей заявки изменился", "My ticket's status changed";
    kind_ticket_completed => "Моя заявка закрыта", "My ticket was closed";
    kind_ticket_message => "Новое сообщение в заявке", "A new message on a ticket";
    kind_system => "Системные", "System";
    no_notifications => "Уведомлений нет.", "No notifications.";
    // Statistics
    total_tickets => "Всего заявок", "Tickets in all";
    avg_resolution_hours => "Среднее время решения, ч", "Average time to resolve, h";
    status_mix => "По статусам", "By status";
    priority_mix => "По приоритетам", "By priority";
    ticket_flow => "Поток заявок", "Ticket flow";
    period_day => "За сутки", "Last day";
    period_week => "За неделю", "Last week";
    period_month => "За месяц", "Last month";
    period_year => "За год", "Last year";
    flow_new => "Поступило", "Filed";
    flow_in_progress => "В работе", "In progress";
    flow_resolved => "Решено", "Resolved";
    resolution_rate => "Доля решённых", "Resolved share";
    agent_performance => "Работа агентов", "Agent performance";
    agent => "Агент", "Agent";
    assigned => "Назначено", "Assigned";
    resolved => "Решено", "Resolved";
    days => "дн.", "days";
    recount => "Пересчитать статистику", "Recount statistics";
    recount_queued => "Пересчёт поставлен в очередь; цифры обновятся через несколько секунд.", "The recount is queued; the figures update in a few seconds.";
    most_active_users => "Самые активные пользователи", "Most active users";
    // Errors
    page_not_found => "Страница не найдена.", "Page not found.";
    bad_request => "Некорректный запрос.", "Malformed request.";
    too_large => "Запрос слишком большой.", "The request is too large.";
    server_error => "Внутренняя ошибка сервера. Попробуйте ещё раз позже.", "Something went wrong on the server. Please try again later.";
    csrf_failed => "Форма устарела или отправлена с другого сайта. Обновите страницу и попробуйте ещё раз.", "This form has expired or was sent from another site. Reload the page and try again.";
}
