//! Who a ticket can be given to: "nobody", then every staff member by name.

use fixdesk_usecases::domain::Actor;

use crate::{Service, WebError, i18n::Texts, view::Choice};

pub async fn choices(
    service: &Service,
    actor: &Actor,
    t: &Texts,
    current: &str,
) -> Result<Vec<Choice>, WebError> {
    let mut choices = vec![Choice::new("", t.unassigned, current)];
    choices.extend(
        service
            .users()
            .directory(actor)
            .await?
            .into_iter()
            .filter(|u| u.role.is_staff())
            .map(|u| {
                let label = u.full_name.unwrap_or(u.username);
                Choice::new(u.id.to_string(), label, current)
            }),
    );
    Ok(choices)
}
