//! Duplicates on a ticket's page: staff merge one into the ticket that stays, and whoever
//! has the same broken item joins an open report of it (or stops following it).

use fixdesk_usecases::domain::{DomainError, TicketId};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{Service, WebError, flash::done, pages::auth::CsrfOnly, session::Session};

#[derive(Debug, Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    csrf: String,
    /// The number of the ticket that stays (`#` and spaces allowed, as people write it).
    #[serde(default)]
    into: String,
}

#[handler]
pub async fn merge(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<MergeForm>,
) -> Result<Response, WebError> {
    let back = format!("/ui/tickets/{id}");
    let typed = form.into.trim().trim_start_matches('#').trim();
    // Not a number is a ticket that does not exist: said on the page, the form kept.
    let into = typed.parse::<i64>().ok().filter(|n| *n > 0);
    let merging = async {
        match into {
            Some(into) => {
                service
                    .tickets()
                    .merge(
                        &session.actor,
                        TicketId(id),
                        TicketId(into),
                        &session.client,
                    )
                    .await
            }
            None => Err(DomainError::UnknownMergeTarget.into()),
        }
    };
    let kept = session.act(&form.csrf, back, merging).await?;
    let text = session
        .lang
        .texts()
        .merged_into
        .replace("{}", &id.to_string());
    Ok(done(req, text, &format!("/ui/tickets/{}", kept.id)))
}

#[handler]
pub async fn follow(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let page = format!("/ui/tickets/{id}");
    let joining = service
        .tickets()
        .follow(&session.actor, TicketId(id), &session.client);
    let text = session.lang.texts().you_follow;
    session
        .act_on_page(req, &form.csrf, &page, text, joining)
        .await
}

#[handler]
pub async fn unfollow(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let leaving = service
        .tickets()
        .unfollow(&session.actor, TicketId(id), &session.client);
    session
        .act(&form.csrf, format!("/ui/tickets/{id}"), leaving)
        .await?;
    // Unless they filed it, the ticket is out of their sight now.
    Ok(done(req, session.lang.texts().unfollowed, "/ui/tickets"))
}
