//! The visitor's notifications: the list, marking them read, and the live feed behind the
//! bell (Server-Sent Events; the browser reconnects by itself and `Last-Event-ID` catches up
//! on what it missed).

use askama::Template;
use std::collections::HashMap;

use fixdesk_usecases::domain::{
    MailChannel, MailChoices, MailSettings, NotificationKind, NotificationSettings, Page, TicketId,
};
use futures::StreamExt;
use poem::{
    Request, Response, handler,
    web::{
        Data, Form, Path, Query,
        sse::{Event, SSE},
    },
};
use serde::Deserialize;
use serde_json::json;

use crate::{
    Service, WebError,
    clock::When,
    flash::done,
    form::{invalid, page_number},
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
    view::{PAGE_SIZE, Pager},
};

#[derive(Debug)]
pub struct NotificationRow {
    pub id: i64,
    pub title: String,
    pub message: String,
    pub at: When,
    pub read: bool,
    pub ticket: Option<i64>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    l: Layout,
    rows: Vec<NotificationRow>,
    pager: Pager,
    unread_only: bool,
    /// Each kind: how the visitor receives it.
    kinds: Vec<KindRow>,
    mail: MailSettings,
    /// Each mail channel with its label.
    channels: Vec<(&'static str, &'static str)>,
}

/// One kind of notification in the settings form.
struct KindRow {
    name: &'static str,
    label: &'static str,
    /// Shown in the list (and the bell).
    on: bool,
    /// How it is mailed.
    mail: &'static str,
}

fn channel_label(t: &crate::i18n::Texts, channel: MailChannel) -> &'static str {
    match channel {
        MailChannel::Off => t.mail_channel_off,
        MailChannel::Instant => t.mail_channel_instant,
        MailChannel::Hourly => t.mail_channel_hourly,
        MailChannel::Daily => t.mail_channel_daily,
    }
}

fn kind_label(t: &crate::i18n::Texts, kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::TicketCreated => t.kind_ticket_created,
        NotificationKind::TicketAssigned => t.kind_ticket_assigned,
        NotificationKind::TicketUpdated => t.kind_ticket_updated,
        NotificationKind::TicketCompleted => t.kind_ticket_completed,
        NotificationKind::TicketMessage => t.kind_ticket_message,
        NotificationKind::SlaWarning => t.kind_sla_warning,
        NotificationKind::SlaBreached => t.kind_sla_breached,
        NotificationKind::System => t.kind_system,
    }
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct ListQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    unread: String,
    #[serde(default, skip_serializing)]
    page: Option<String>,
}

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let number = page_number(q.page.as_deref());
    let unread_only = !q.unread.is_empty();
    // One more than a page tells whether there is a next one.
    let mut items = service
        .notifications()
        .list(
            &session.actor,
            unread_only,
            Page {
                offset: Pager::offset(number),
                limit: PAGE_SIZE + 1,
            },
        )
        .await?;
    let has_more = items.len() as u64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    let settings = service.notifications().settings(&session.actor).await?;
    let mail = service
        .notifications()
        .mail_settings(&session.actor)
        .await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    page(&ListPage {
        kinds: settings
            .effective()
            .into_iter()
            .map(|(kind, on)| KindRow {
                name: kind.as_str(),
                label: kind_label(t, kind),
                on,
                mail: mail.choices.channel(kind).as_str(),
            })
            .collect(),
        channels: MailChannel::ALL
            .into_iter()
            .map(|c| (c.as_str(), channel_label(t, c)))
            .collect(),
        mail,
        rows: items
            .into_iter()
            .map(|n| NotificationRow {
                id: n.id,
                title: n
                    .related_id
                    .and_then(|id| n.kind.headline(l.lang.language(), id))
                    .unwrap_or(n.title),
                message: n.message,
                at: l.clock.when(&n.created_at),
                read: n.is_read,
                ticket: n.related_id,
            })
            .collect(),
        pager: Pager::new("/ui/notifications", &q, number, None, has_more),
        unread_only,
        l,
    })
}

#[handler]
pub async fn read(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    service
        .notifications()
        .mark_read(&session.actor, id)
        .await?;
    Ok(done(
        req,
        session.lang.texts().marked_read,
        "/ui/notifications",
    ))
}

#[handler]
pub async fn read_all(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    service
        .notifications()
        .mark_all_read(&session.actor)
        .await?;
    Ok(done(
        req,
        session.lang.texts().marked_read,
        "/ui/notifications",
    ))
}

/// `?ticket=`: the ticket the page shows, whose changes it follows.
#[derive(Debug, Default, Deserialize)]
pub struct Following {
    #[serde(default)]
    ticket: Option<i64>,
}

/// New notifications as they arrive, each as JSON: `{id, title, message, ticket}`; on a
/// ticket's page also an event `ticket` each time anyone changes that ticket.
#[handler]
pub async fn events(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(following): Query<Following>,
) -> Result<SSE, WebError> {
    let last_seen = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let live = service
        .notifications()
        .live(&session.actor, last_seen)
        .await?;
    let language = session.lang.language();
    let notifications = live.map(move |n| {
        // Worded in the reader's language, as the list words it.
        let title = n
            .related_id
            .and_then(|id| n.kind.headline(language, id))
            .unwrap_or(n.title);
        let data = json!({
            "id": n.id,
            "title": title,
            "message": n.message,
            "ticket": n.related_id,
        });
        Event::message(data.to_string())
            .id(n.id.to_string())
            .event_type("notification")
    });
    let changes = match following.ticket {
        Some(id) => service
            .tickets()
            .changes(&session.actor, TicketId(id))
            .await?
            .map(move |()| Event::message(json!({ "ticket": id }).to_string()).event_type("ticket"))
            .boxed(),
        None => futures::stream::empty().boxed(),
    };
    let events = futures::stream::select(notifications, changes);
    Ok(SSE::new(events).keep_alive(std::time::Duration::from_secs(20)))
}

/// Which kinds of notification the visitor receives: a checkbox per kind, named after it, and
/// (when the desk sends mail) a choice of mail per kind, `mail_<kind>`.
#[handler]
pub async fn save_settings(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let csrf = form.get("csrf").map(String::as_str).unwrap_or_default();
    let choices = NotificationSettings(
        NotificationKind::ALL
            .into_iter()
            .map(|kind| (kind, form.contains_key(kind.as_str())))
            .collect(),
    );
    session
        .act(
            csrf,
            "/ui/notifications",
            service
                .notifications()
                .save_settings(&session.actor, choices),
        )
        .await?;
    let mail = NotificationKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let raw = form.get(&format!("mail_{}", kind.as_str()))?;
            Some(MailChannel::parse(raw).map(|c| (kind, c)))
        })
        .collect::<Result<_, _>>()
        .map_err(invalid);
    session
        .act(csrf, "/ui/notifications", async {
            service
                .notifications()
                .save_mail_choices(&session.actor, MailChoices(mail?))
                .await
        })
        .await?;
    Ok(done(req, session.lang.texts().saved, "/ui/notifications"))
}
