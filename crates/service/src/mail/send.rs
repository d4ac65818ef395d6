//! Sends one mail: a notification, or a digest of several, composed in the recipient's
//! language. Runs as a `mail_send` job, so a server that is away is retried with back-off and
//! a delivery that failed every attempt stays `dead` in the job list until retried. An address
//! the mail server refused is marked bounced and no longer tried. Delivery is at least once: a
//! worker that dies between the server's answer and recording the job sends it again, with the
//! same `Message-ID`, which mail clients fold into one.

use std::sync::Arc;

use fixdesk_domain::{
    Job, Language, Letter, TicketId, UserId,
    mail_out::{compose, compose_digest},
    mail_proof::TokenScope,
};
use fixdesk_repository::{mail_out, notifications, preferences, tickets, users};
use fixdesk_usecases::ServiceError;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::mailer::Delivery;
use crate::context::Context;

/// What a `mail_send` job remembers.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Send {
    pub(crate) user_id: i64,
    pub(crate) notifications: Vec<i64>,
    /// A digest is one mail listing them all, even when there is one.
    pub(crate) digest: bool,
}

impl Send {
    pub(crate) fn payload(&self) -> String {
        json!(self).to_string()
    }
}

fn skipped(why: &str) -> String {
    json!({ "skipped": why }).to_string()
}

pub(crate) async fn run(ctx: &Arc<Context>, job: &Job) -> Result<String, ServiceError> {
    let Some(mailer) = ctx.mailer.as_ref() else {
        return Ok(skipped("mail is off"));
    };
    let send: Send = serde_json::from_str(&job.payload).map_err(ServiceError::internal)?;
    let reader = ctx.db.reader();
    let user = UserId(send.user_id);
    let Some(address) = users::find(reader, user)
        .await?
        .filter(|u| u.is_active)
        .and_then(|u| u.email)
    else {
        return Ok(skipped("no address"));
    };
    if mail_out::bounce_of(reader, &address).await?.is_some() {
        return Ok(skipped("the address bounced"));
    }
    let items = notifications::of_user_with_ids(reader, user, &send.notifications).await?;
    let lang = preferences::find(reader, user)
        .await?
        .language
        .unwrap_or(Language::Ru);
    let letter: Letter = match items.as_slice() {
        [] => return Ok(skipped("the notifications were deleted")),
        [n] if !send.digest => {
            let title = match n.related_id {
                Some(t) => tickets::find(reader, TicketId(t)).await?.map(|t| t.title),
                None => None,
            };
            // The recipient's reply to this mail proves who wrote it (see `proof`).
            let token = n.related_id.map(|ticket| {
                ctx.reply_key.token(TokenScope {
                    ticket,
                    notification: n.id,
                    user: n.user_id.0,
                })
            });
            compose(&mailer.desk, lang, n, title.as_deref(), token.as_deref())
        }
        all => compose_digest(&mailer.desk, lang, all),
    };
    match mailer.send(&address, &letter).await? {
        Delivery::Sent => Ok(json!({ "sent": letter.message_id }).to_string()),
        Delivery::Refused(reason) => {
            let uow = ctx.db.begin_write().await?;
            mail_out::record_bounce(uow.conn(), &address, &reason, ctx.clock.now()).await?;
            uow.commit().await?;
            tracing::info!(user = user.0, %reason, "mail address bounced; no longer tried");
            Ok(json!({ "bounced": reason }).to_string())
        }
    }
}
