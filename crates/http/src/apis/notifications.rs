use std::time::Duration;

use fixdesk_usecases::domain::Page;
use futures::StreamExt;
use poem::web::{Data, sse::Event};
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Path, Query},
    payload::{EventStream, Json},
    registry::{MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
};
use std::collections::BTreeMap;

use serde_json::Value;

use super::{Tag, json_list};
use crate::{
    Service,
    dto::{
        notifications::{
            MailSettingsOut, NotificationOut, SettingsOut, parse_mail_choices, parse_settings,
        },
        tickets::CountOut,
    },
    error::ApiResult,
    extract::{Authed, JsonBody, LiveAuth, path_id},
};

#[derive(Debug)]
pub struct NotificationsApi;

#[derive(Debug, Object)]
struct ReadOut {
    id: i64,
    is_read: bool,
}

#[derive(Debug, Object)]
struct DoneOut {
    success: bool,
    message: String,
}

#[derive(Debug, ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

type Events = EventStream<futures::stream::BoxStream<'static, NotificationOut>>;

/// One event of the notification stream as a Server-Sent Events reader takes it apart.
#[derive(Debug, Object)]
#[oai(rename = "NotificationEvent")]
struct NotificationEvent {
    /// Always `notification`.
    #[oai(validator(pattern = "^notification$"))]
    event: String,
    /// The notification's id (what `Last-Event-ID` names on reconnecting).
    #[oai(validator(pattern = "^[0-9]+$"))]
    id: String,
    /// The notification as JSON: a `NotificationOut`.
    #[oai(validator(pattern = "^\\{.*\\}$"))]
    data: String,
}

/// The notification stream, documented as what it is: Server-Sent Events, not a JSON array.
struct Stream(Events);

impl poem::IntoResponse for Stream {
    fn into_response(self) -> poem::Response {
        self.0.into_response()
    }
}

impl ApiResponse for Stream {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "Server-Sent Events: each `event: notification` carries the \
                              notification's id as `id:` and the notification (`NotificationOut`) \
                              as JSON in `data:` (the schema is one event taken apart); comments \
                              keep the connection alive",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: "text/event-stream",
                    schema: NotificationEvent::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        NotificationOut::register(registry);
        NotificationEvent::register(registry);
    }
}

#[OpenApi(tag = "Tag::Notifications")]
impl NotificationsApi {
    /// The caller's notifications, newest first.
    #[oai(path = "/notifications/", method = "get")]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: Authed,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
        unread_only: Query<Option<bool>>,
    ) -> ApiResult<Json<Vec<NotificationOut>>> {
        let page = Page::new(skip.0.unwrap_or(0), limit.0.unwrap_or(100));
        let list = service
            .notifications()
            .list(&auth.0, unread_only.0.unwrap_or(false), page)
            .await?;
        Ok(json_list(list))
    }

    #[oai(path = "/notifications/unread-count", method = "get")]
    async fn unread_count(
        &self,
        service: Data<&Service>,
        auth: Authed,
    ) -> ApiResult<Json<CountOut>> {
        let n = service.notifications().unread_count(&auth.0).await?;
        Ok(Json(CountOut {
            count: i64::try_from(n).unwrap_or(i64::MAX),
        }))
    }

    #[oai(path = "/notifications/mark-read/:notification_id", method = "post")]
    async fn mark_read(
        &self,
        service: Data<&Service>,
        auth: Authed,
        notification_id: Path<String>,
    ) -> ApiResult<Json<ReadOut>> {
        let id = path_id("notification_id", &notification_id.0)?;
        service.notifications().mark_read(&auth.0, id).await?;
        Ok(Json(ReadOut { id, is_read: true }))
    }

    #[oai(path = "/notifications/mark-all-read", method = "post")]
    async fn mark_all_read(
        &self,
        service: Data<&Service>,
        auth: Authed,
    ) -> ApiResult<Json<DoneOut>> {
        service.notifications().mark_all_read(&auth.0).await?;
        Ok(Json(DoneOut {
            success: true,
            message: "Все уведомления отмечены как прочитанные".into(),
        }))
    }

    /// Which kinds of notification the caller receives.
    #[oai(path = "/notifications/settings", method = "get")]
    async fn settings(
        &self,
        service: Data<&Service>,
        auth: Authed,
    ) -> ApiResult<Json<SettingsOut>> {
        Ok(Json(
            service.notifications().settings(&auth.0).await?.into(),
        ))
    }

    /// Switch kinds on or off: `{"ticket_created": false, …}`.
    #[oai(path = "/notifications/settings", method = "post")]
    async fn save_settings(
        &self,
        service: Data<&Service>,
        auth: Authed,
        body: JsonBody<BTreeMap<String, Value>>,
    ) -> ApiResult<Json<SettingsOut>> {
        let choices = parse_settings(body.parse()?)?;
        Ok(Json(
            service
                .notifications()
                .save_settings(&auth.0, choices)
                .await?
                .into(),
        ))
    }

    /// What the caller receives by e-mail, and whether the desk sends mail at all.
    #[oai(path = "/notifications/mail", method = "get")]
    async fn mail_settings(
        &self,
        service: Data<&Service>,
        auth: Authed,
    ) -> ApiResult<Json<MailSettingsOut>> {
        Ok(Json(
            service.notifications().mail_settings(&auth.0).await?.into(),
        ))
    }

    /// Choose per kind how it is mailed: `{"ticket_message": "instant", "ticket_created":
    /// "daily", "sla_warning": "off"}` (also `hourly`). Kinds left out stay as they were.
    #[oai(path = "/notifications/mail", method = "put")]
    async fn save_mail_settings(
        &self,
        service: Data<&Service>,
        auth: Authed,
        body: JsonBody<BTreeMap<String, Value>>,
    ) -> ApiResult<Json<MailSettingsOut>> {
        let choices = parse_mail_choices(body.parse()?)?;
        Ok(Json(
            service
                .notifications()
                .save_mail_choices(&auth.0, choices)
                .await?
                .into(),
        ))
    }

    /// Send oneself a test notification.
    #[oai(path = "/notifications/send-test", method = "post")]
    async fn send_test(&self, service: Data<&Service>, auth: Authed) -> ApiResult<Json<DoneOut>> {
        service.notifications().send_test(&auth.0).await?;
        Ok(Json(DoneOut {
            success: true,
            message: "Тестовое уведомление отправлено".into(),
        }))
    }

    #[oai(path = "/notifications/:notification_id", method = "delete")]
    async fn delete(
        &self,
        service: Data<&Service>,
        auth: Authed,
        notification_id: Path<String>,
    ) -> ApiResult<Deleted> {
        let id = path_id("notification_id", &notification_id.0)?;
        service.notifications().delete(&auth.0, id).await?;
        Ok(Deleted::NoContent)
    }

    /// New notifications as Server-Sent Events (`event: notification`, `id:` the notification
    /// id). The token may be given as `?token=`, since browsers cannot set headers here; a
    /// client that reconnects with `Last-Event-ID` first receives what it missed.
    #[oai(path = "/notifications/stream", method = "get")]
    async fn stream(
        &self,
        service: Data<&Service>,
        auth: LiveAuth,
        #[oai(name = "Last-Event-ID")] last_event_id: Header<Option<i64>>,
        last_seen: Query<Option<i64>>,
    ) -> ApiResult<Stream> {
        let live = service
            .notifications()
            .live(&auth.0, last_event_id.0.or(last_seen.0))
            .await?;
        let events = live.map(NotificationOut::from).boxed();
        Ok(Stream(
            EventStream::new(events)
                .keep_alive(Duration::from_secs(15))
                .to_event(|n| {
                    Event::message(serde_json::to_string(&n).unwrap_or_default())
                        .event_type("notification")
                        .id(n.id.to_string())
                }),
        ))
    }
}
