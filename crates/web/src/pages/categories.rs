//! Ticket categories (admins): the list with inline editing, adding, deleting (a category
//! tickets use is deactivated instead, by the service).

use askama::Template;
use fixdesk_usecases::{
    ServiceError,
    domain::{
        CategoryChanges, CategoryId, CategoryName, DomainError, NewCategory, Page,
        category::parse_category_description,
    },
};
use poem::{
    Request, Response, handler,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use crate::{
    Service, WebError,
    flash::done,
    form::checked,
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
};

#[derive(Debug)]
pub struct CategoryRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "categories.html")]
struct ListPage {
    l: Layout,
    rows: Vec<CategoryRow>,
}

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    session.require_admin()?;
    let categories = service
        .categories()
        .list(&session.actor, true, Page::new(0, Page::MAX_LIMIT as i64))
        .await?;
    let l = Layout::new(req, &session, service).await;
    page(&ListPage {
        rows: categories
            .into_iter()
            .map(|c| CategoryRow {
                id: c.id.0,
                name: c.name,
                description: c.description.unwrap_or_default(),
                active: c.is_active,
            })
            .collect(),
        l,
    })
}

#[derive(Debug, Deserialize)]
pub struct CategoryForm {
    #[serde(default)]
    csrf: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    is_active: Option<String>,
}

impl CategoryForm {
    fn parts(&self) -> Result<(CategoryName, String), ServiceError> {
        let name = CategoryName::parse(&self.name).map_err(DomainError::from)?;
        let description =
            parse_category_description(&self.description).map_err(DomainError::from)?;
        Ok((name, description))
    }
}

#[handler]
pub async fn create(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<CategoryForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let back = WebError::back("/ui/categories");
    let (name, description) = form.parts().map_err(back)?;
    service
        .categories()
        .create(
            &session.actor,
            NewCategory {
                name,
                description: Some(description),
                is_active: true,
            },
            &session.client,
        )
        .await
        .map_err(WebError::back("/ui/categories"))?;
    Ok(done(req, session.lang.texts().saved, "/ui/categories"))
}

#[handler]
pub async fn update(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CategoryForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let back = WebError::back("/ui/categories");
    let (name, description) = form.parts().map_err(back)?;
    service
        .categories()
        .update(
            &session.actor,
            CategoryId(id),
            CategoryChanges {
                name: Some(name),
                description: Some(description),
                is_active: Some(checked(&form.is_active)),
            },
            &session.client,
        )
        .await
        .map_err(WebError::back("/ui/categories"))?;
    Ok(done(req, session.lang.texts().saved, "/ui/categories"))
}

#[handler]
pub async fn delete(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let removal = session
        .act(
            &form.csrf,
            "/ui/categories",
            service
                .categories()
                .delete(&session.actor, CategoryId(id), &session.client),
        )
        .await?;
    let t = session.lang.texts();
    Ok(done(
        req,
        crate::view::removal_text(t, removal, t.category_deactivated),
        "/ui/categories",
    ))
}
