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
    notifications_unread => "Уведомления: {} непрочитанных", "Notifications: {} unread";
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
    form_has_errors => "Исправьте поля формы.", "Please correct the form.";
    err_required => "Заполните это поле", "Please fill in this field";
    err_too_short => "Не короче {} символов", "At least {} characters";
    err_too_long => "Не длиннее {} символов", "At most {} characters";
    err_characters => "Содержит недопустимые символы", "Contains characters that are not allowed";
    err_choose => "Выберите одно из предложенных значений", "Choose one of the offered values";
    draft_kept => "Введённый текст сохранён: после входа вы вернётесь к форме.", "What you typed is kept: after signing in you return to the form.";
    just_now => "только что", "just now";
    minutes_ago => "{} мин назад", "{} min ago";
    account => "Учётная запись", "Account";
    time_zone => "Часовой пояс", "Time zone";
    language => "Язык", "Language";
    settings_saved => "Настройки сохранены.", "Settings saved.";
    password_rules => "Пароль: от {min} до {max} символов, не только пробелы.", "Password: {min} to {max} characters, not only spaces.";
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
    view_work => "Очередь и мои открытые", "Queue and my open tickets";
    view_queue => "Очередь новых", "New tickets queue";
    view_mine => "Мои открытые", "My open tickets";
    view_unassigned_high => "Без исполнителя, высокий приоритет", "Unassigned, high priority";
    awaiting_reply => "Ждёт ответа", "Awaiting reply";
    select_ticket => "Выбрать заявку", "Select ticket";
    select_all => "Выбрать все", "Select all";
    bulk_action => "С выбранными", "With selected";
    bulk_take => "Взять себе", "Take them";
    bulk_assign => "Назначить", "Assign to";
    bulk_status => "Сменить статус", "Set status";
    bulk_close => "Закрыть с решением", "Close with resolution";
    bulk_apply => "Выполнить", "Apply";
    bulk_none_selected => "Не выбрано ни одной заявки.", "No ticket was selected.";
    bulk_changed => "Изменено заявок: {}.", "Tickets changed: {}.";
    bulk_refused => "Отказано:", "Refused:";
    keys_title => "Клавиши", "Keyboard shortcuts";
    keys_search => "поиск", "search";
    keys_move => "следующая / предыдущая заявка", "next / previous ticket";
    keys_open => "открыть заявку", "open the ticket";
    keys_select => "отметить заявку", "select the ticket";
    keys_help => "эта подсказка", "this help";
    keys_hint => "Нажмите ? — список клавиш", "Press ? for keyboard shortcuts";
    any => "Любой", "Any";
    search => "Поиск", "Search";
    search_hint => "Номер, тема, кабинет или автор", "Number, title, room or author";
    apply => "Применить", "Apply";
    no_tickets => "Заявок не найдено.", "No tickets found.";
    export_csv => "Выгрузка заявок", "Ticket export";
    export_as => "Выгрузить:", "Export:";
    download_file => "Скачать файл", "Download the file";
    export_running => "Выгрузка готовится, страница обновится сама.", "The export is being prepared; this page refreshes by itself.";
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
    unassigned => "Не назначен", "Unassigned";
    resolution_hint => "Обязательно: что сделано. Автор увидит это и сможет переоткрыть заявку.", "Required: what was done. The person who filed it sees this and may reopen the ticket.";
    reopen_ticket => "Переоткрыть заявку", "Reopen ticket";
    reopen_until => "Можно переоткрыть до", "You may reopen it until";
    ticket_reopened => "Заявка снова открыта.", "Ticket reopened.";
    download => "скачать", "download";
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
    file_rules => "Фото (jpg, png, heic, webp, gif), pdf, doc(x), xls(x), txt, zip, rar — до 10 МБ каждый", "Photos (jpg, png, heic, webp, gif), pdf, doc(x), xls(x), txt, zip, rar — up to 10 MB each";
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
    email => "Эл. почта", "E-mail";
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
