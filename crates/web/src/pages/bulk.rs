//! Staff act on several tickets of the list at once: take them, give them to someone, change
//! their status, or close them with one resolution. Each ticket goes through the same use case
//! as on its own page (so the same rules and audit apply); the page then says how many changed
//! and which were refused, and why.

use fixdesk_usecases::{
    ServiceError,
    domain::{Resolution, TicketId, TicketStatus, UserId},
};
use poem::{
    Request, Response, handler,
    web::{Data, Redirect},
};

use crate::{
    Service, WebError,
    flash::Flash,
    form::{given, invalid},
    i18n::error_text,
    session::Session,
};

/// The most tickets one bulk action takes (a page of the list).
const MAX: usize = 100;

/// What to do to each selected ticket.
#[derive(Debug)]
enum Action {
    Take,
    Assign(Option<UserId>),
    Status(TicketStatus),
    Close(Resolution),
}

/// The form's fields: repeated `ids`, one of each other.
#[derive(Debug, Default)]
struct BulkForm {
    csrf: String,
    ids: Vec<i64>,
    action: String,
    assignee: String,
    status: String,
    resolution: String,
    back: String,
}

impl BulkForm {
    fn parse(body: &str) -> Result<Self, WebError> {
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(body)
            .map_err(|_| WebError::BadForm("bulk".into()))?;
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "ids" => form
                    .ids
                    .push(value.parse().map_err(|_| WebError::BadForm("ids".into()))?),
                "csrf" => form.csrf = value,
                "action" => form.action = value,
                "assignee" => form.assignee = value,
                "status" => form.status = value,
                "resolution" => form.resolution = value,
                "back" => form.back = value,
                _ => {}
            }
        }
        Ok(form)
    }

    fn action(&self) -> Result<Action, ServiceError> {
        match self.action.as_str() {
            "take" => Ok(Action::Take),
            "assign" => Ok(Action::Assign(
                given(&self.assignee)
                    .and_then(|a| a.parse().ok())
                    .map(UserId),
            )),
            "status" => match self.status.parse::<TicketStatus>() {
                Ok(TicketStatus::Closed) | Err(_) => Err(invalid(
                    fixdesk_usecases::domain::FieldError::new("status", "enum", "…"),
                )),
                Ok(s) => Ok(Action::Status(s)),
            },
            "close" => Resolution::parse(&self.resolution)
                .map(Action::Close)
                .map_err(invalid),
            _ => Err(invalid(fixdesk_usecases::domain::FieldError::new(
                "action", "enum", "…",
            ))),
        }
    }

    /// Back to the list as it was (only a list of this interface).
    fn back(&self) -> String {
        if self.back.starts_with("/ui/tickets") && !self.back.contains("//") {
            self.back.clone()
        } else {
            "/ui/tickets".into()
        }
    }
}

#[handler]
pub async fn apply(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    body: String,
) -> Result<Response, WebError> {
    let form = BulkForm::parse(&body)?;
    session.check_csrf(&form.csrf)?;
    session.require_staff()?;
    let back = form.back();
    let t = session.lang.texts();
    if form.ids.is_empty() || form.ids.len() > MAX {
        Flash::error(t.bulk_none_selected, Vec::new()).store(req.cookie());
        return Ok(poem::IntoResponse::into_response(Redirect::see_other(back)));
    }
    let action = form.action().map_err(WebError::back(back.clone()))?;
    let tickets = service.tickets();
    let (actor, client) = (&session.actor, &session.client);
    let mut changed = 0;
    let mut refused = Vec::new();
    for id in &form.ids {
        let ticket = TicketId(*id);
        let outcome = match &action {
            Action::Take => tickets.claim(actor, ticket, client).await,
            Action::Assign(Some(to)) => tickets.assign(actor, ticket, *to, client).await,
            Action::Assign(None) => tickets.unassign(actor, ticket, client).await,
            Action::Status(s) => tickets.set_status(actor, ticket, *s, client).await,
            Action::Close(r) => tickets.resolve(actor, ticket, r.clone(), client).await,
        };
        match outcome {
            Ok(_) => changed += 1,
            Err(e @ ServiceError::Domain(_)) => {
                refused.push(format!("#{id}: {}", error_text(&e, session.lang)));
            }
            // A fault or overload stops the batch; what was done stays done.
            Err(e) => return Err(e.into()),
        }
    }
    let mut text = t.bulk_changed.replace("{}", &changed.to_string());
    if refused.is_empty() {
        Flash::ok(text).store(req.cookie());
    } else {
        text.push_str(&format!(" {} {}", t.bulk_refused, refused.join("; ")));
        Flash::error(text, Vec::new()).store(req.cookie());
    }
    Ok(poem::IntoResponse::into_response(Redirect::see_other(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_are_all_read() {
        let f = BulkForm::parse(
            "csrf=x&ids=3&ids=7&action=close&resolution=Done&back=%2Fui%2Ftickets%3Fview%3Dwork",
        )
        .unwrap_or_default();
        assert_eq!(f.ids, vec![3, 7]);
        assert!(matches!(f.action(), Ok(Action::Close(_))));
        assert_eq!(f.back(), "/ui/tickets?view=work");
        let elsewhere = BulkForm {
            back: "https://evil.example/".into(),
            ..BulkForm::default()
        };
        assert_eq!(elsewhere.back(), "/ui/tickets");
        let closing_by_status = BulkForm {
            action: "status".into(),
            status: "closed".into(),
            ..BulkForm::default()
        };
        assert!(closing_by_status.action().is_err());
    }
}
