//! `WS /api/v1/audit-logs/ws`: new audit records pushed to admins as they are written. The
//! token comes as `?token=` (browsers cannot set headers on a websocket) or in
//! `Authorization`; anyone else is refused before the upgrade. `role_filter` (query, or a
//! `{"role_filter": …}` message at any time) limits the stream to one role's actions; records
//! with no acting user always pass.

use fixdesk_usecases::domain::AuditRecord;
use futures::{SinkExt, StreamExt};
use poem::{
    IntoResponse, handler,
    web::{
        Data, Query,
        websocket::{CloseCode, Message, WebSocket},
    },
};
use serde::Deserialize;

use crate::{Service, dto::audit::AuditItemOut, error::ApiError, extract::LiveAuth};

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    role_filter: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FilterMessage {
    role_filter: Option<String>,
}

fn passes(record: &AuditRecord, filter: Option<&str>) -> bool {
    match (filter, &record.user) {
        (None, _) | (_, None) => true,
        (Some(role), Some(user)) => user.role.as_str() == role,
    }
}

#[handler]
pub async fn audit_ws(
    auth: LiveAuth,
    service: Data<&Service>,
    Query(params): Query<Params>,
    ws: WebSocket,
) -> poem::Result<impl IntoResponse> {
    // Subscribing checks the admin role, so it happens before the upgrade. The upgrade
    // callback must be `Sync`, which a boxed stream is not: it travels in a mutex.
    let records = std::sync::Mutex::new(Some(
        service
            .audit()
            .live(&auth.0)
            .await
            .map_err(ApiError::from)?,
    ));
    let mut filter = params.role_filter.filter(|r| !r.is_empty());
    Ok(ws.on_upgrade(move |socket| async move {
        let Some(mut records) = records.lock().ok().and_then(|mut r| r.take()) else {
            return;
        };
        let (mut sink, mut incoming) = socket.split();
        loop {
            tokio::select! {
                msg = incoming.next() => match msg {
                    Some(Ok(Message::Text(text))) => {
                        if let Ok(m) = serde_json::from_str::<FilterMessage>(&text) {
                            filter = m.role_filter.filter(|r| !r.is_empty());
                        }
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {}
                },
                record = records.next() => match record {
                    Some(r) if passes(&r, filter.as_deref()) => {
                        let item = AuditItemOut::from(r);
                        let Ok(text) = serde_json::to_string(&item) else { continue };
                        if sink.send(Message::Text(text)).await.is_err() {
                            break;
                        }
                    }
                    Some(_) => {}
                    None => {
                        // The admin's session ended (logout, demotion, deactivation...).
                        let close = (CloseCode::Policy, "session ended".to_string());
                        let _ = sink.send(Message::Close(Some(close))).await;
                        break;
                    }
                },
            }
        }
    }))
}
