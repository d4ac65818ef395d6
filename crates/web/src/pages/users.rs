//! User administration (the service refuses everyone but admins): the list, creating a user,
//! editing name, e-mail, role and active flag, resetting a password, deleting.

use askama::Template;
use fixdesk_usecases::{
    ServiceError,
    domain::{
        Email, FullName, NewUser, Page, Password, Patch, Role, UserChanges, UserId, Username,
    },
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    flash::done,
    form::{checked, given, invalid, page_number},
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
    view::{self, Choice, PAGE_SIZE, Pager},
};

#[derive(Debug)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub role: &'static str,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    rows: Vec<UserRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ListQuery {
    /// Part of a username, name or e-mail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    q: String,
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
    let (users, total, has_more) = match given(&q.q) {
        // A search finds among every account (a desk has hundreds, not millions).
        Some(term) => {
            let found = service.users().search(&session.actor, term).await?;
            let total = found.len() as u64;
            let page: Vec<_> = found
                .into_iter()
                .skip(usize::try_from(Pager::offset(number)).unwrap_or(usize::MAX))
                .take(PAGE_SIZE as usize)
                .collect();
            (page, Some(total), false)
        }
        None => {
            let mut users = service
                .users()
                .list(
                    &session.actor,
                    Page {
                        offset: Pager::offset(number),
                        limit: PAGE_SIZE + 1,
                    },
                )
                .await?;
            let has_more = users.len() as u64 > PAGE_SIZE;
            users.truncate(PAGE_SIZE as usize);
            (users, None, has_more)
        }
    };
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    page(&ListPage {
        rows: users
            .into_iter()
            .map(|u| UserRow {
                id: u.id.0,
                username: u.username,
                full_name: u.full_name.unwrap_or_default(),
                email: u.email.unwrap_or_default(),
                role: view::role_label(t, u.role),
                active: u.is_active,
            })
            .collect(),
        pager: Pager::new("/ui/users", &q, number, total, has_more),
        q,
        l,
    })
}

/// The user form's fields, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    is_active: Option<String>,
}

impl UserForm {
    fn role(&self) -> Result<Role, ServiceError> {
        self.role.parse().map_err(invalid)
    }

    fn email(&self) -> Result<Option<Email>, ServiceError> {
        given(&self.email)
            .map(Email::parse)
            .transpose()
            .map_err(invalid)
    }

    fn full_name(&self) -> Result<Option<FullName>, ServiceError> {
        given(&self.full_name)
            .map(FullName::parse)
            .transpose()
            .map_err(invalid)
    }

    fn new_user(&self) -> Result<NewUser, ServiceError> {
        Ok(NewUser {
            username: Username::parse(&self.username).map_err(invalid)?,
            password: Password::parse(&self.password).map_err(invalid)?,
            email: self.email()?,
            full_name: self.full_name()?,
            role: self.role()?,
            is_active: checked(&self.is_active),
        })
    }

    /// Blank e-mail or name clears it; a blank password leaves it as it is.
    fn changes(&self) -> Result<UserChanges, ServiceError> {
        Ok(UserChanges {
            username: None,
            email: or_clear(self.email()?),
            full_name: or_clear(self.full_name()?),
            password: given(&self.password)
                .map(Password::parse)
                .transpose()
                .map_err(invalid)?,
            role: Some(self.role()?),
            is_active: Some(checked(&self.is_active)),
        })
    }
}

/// A blank optional field clears the stored value.
fn or_clear<T>(value: Option<T>) -> Patch<T> {
    value.map_or(Patch::Null, Patch::Value)
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage {
    l: Layout,
    id: Option<i64>,
    f: UserForm,
    roles: Vec<Choice>,
}

async fn render(
    req: &Request,
    session: &Session,
    service: &Service,
    id: Option<i64>,
    f: UserForm,
) -> Result<Response, WebError> {
    let l = Layout::new(req, session, service).await;
    page(&FormPage {
        roles: view::role_choices(l.t, &f.role),
        id,
        f,
        l,
    })
}

#[handler]
pub async fn new_form(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    session.require_admin()?;
    let f = UserForm {
        role: Role::User.as_str().into(),
        is_active: Some("on".into()),
        ..UserForm::default()
    };
    render(req, &session, service, None, f).await
}

#[handler]
pub async fn create(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let new = form.new_user().map_err(WebError::back("/ui/users/new"))?;
    service
        .users()
        .create(&session.actor, new, &session.client)
        .await
        .map_err(WebError::back("/ui/users/new"))?;
    Ok(done(req, session.lang.texts().saved, "/ui/users"))
}

#[handler]
pub async fn edit_form(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    session.require_admin()?;
    let u = service.users().get(&session.actor, UserId(id)).await?;
    let f = UserForm {
        username: u.username,
        full_name: u.full_name.unwrap_or_default(),
        email: u.email.unwrap_or_default(),
        role: u.role.as_str().into(),
        is_active: u.is_active.then(|| "on".into()),
        ..UserForm::default()
    };
    render(req, &session, service, Some(id), f).await
}

#[handler]
pub async fn update(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let back = format!("/ui/users/{id}");
    let changes = form.changes().map_err(WebError::back(&back))?;
    service
        .users()
        .update(&session.actor, UserId(id), changes, &session.client)
        .await
        .map_err(WebError::back(&back))?;
    Ok(done(req, session.lang.texts().saved, "/ui/users"))
}

#[handler]
pub async fn delete(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session
        .act(
            &form.csrf,
            format!("/ui/users/{id}"),
            service
                .users()
                .delete(&session.actor, UserId(id), &session.client),
        )
        .await?;
    Ok(done(req, session.lang.texts().deleted, "/ui/users"))
}
