//! Adding, editing and removing equipment (staff add and edit; the service lets only admins
//! delete). The type is one of the category names, as tickets use them.

use askama::Template;
use fixdesk_usecases::{
    ServiceError,
    domain::{
        DomainError, EquipmentChanges, EquipmentDetails, EquipmentId, EquipmentStatus, FieldError,
        NewEquipment, Page, Patch, equipment::equipment_text,
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
    layout::{Layout, page},
    pages::{auth::CsrfOnly, equipment::equipment_status_choices},
    session::Session,
    view::{self, Choice},
};

/// The form's fields, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct EquipmentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    serial_number: String,
    #[serde(default)]
    inventory_number: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    responsible_person: String,
    #[serde(default)]
    notes: String,
}

/// Blank clears a descriptive field; anything else is checked.
fn detail(field: &'static str, raw: &str, max: usize) -> Result<Patch<String>, FieldError> {
    if raw.trim().is_empty() {
        Ok(Patch::Null)
    } else {
        equipment_text(field, raw, max).map(Patch::Value)
    }
}

impl EquipmentForm {
    fn parts(&self) -> Result<(String, String, EquipmentStatus, EquipmentDetails), ServiceError> {
        let name = equipment_text("name", &self.name, 200).map_err(DomainError::from)?;
        if self.kind.trim().is_empty() {
            return Err(DomainError::EquipmentTypeRequired.into());
        }
        let kind = equipment_text("type", &self.kind, 100).map_err(DomainError::from)?;
        let status = self.status.parse().map_err(DomainError::from)?;
        let details = EquipmentDetails {
            model: detail("model", &self.model, 200).map_err(DomainError::from)?,
            serial_number: detail("serial_number", &self.serial_number, 200)
                .map_err(DomainError::from)?,
            inventory_number: detail("inventory_number", &self.inventory_number, 200)
                .map_err(DomainError::from)?,
            location: detail("location", &self.location, 200).map_err(DomainError::from)?,
            responsible_person: detail("responsible_person", &self.responsible_person, 200)
                .map_err(DomainError::from)?,
            notes: detail("notes", &self.notes, 10_000).map_err(DomainError::from)?,
            ..EquipmentDetails::default()
        };
        Ok((name, kind, status, details))
    }
}

#[derive(Template)]
#[template(path = "equipment/form.html")]
struct FormPage {
    l: Layout,
    /// `None` for a new item.
    id: Option<i64>,
    f: EquipmentForm,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
}

async fn render(
    req: &Request,
    session: &Session,
    service: &Service,
    id: Option<i64>,
    f: EquipmentForm,
) -> Result<Response, WebError> {
    let categories = service
        .categories()
        .list(&session.actor, false, Page::new(0, Page::MAX_LIMIT as i64))
        .await?;
    let mut kinds: Vec<Choice> = categories
        .into_iter()
        .map(|c| Choice::new(c.name.clone(), c.name, &f.kind))
        .collect();
    if !f.kind.is_empty() && !kinds.iter().any(|k| k.selected) {
        kinds.push(Choice::new(f.kind.clone(), f.kind.clone(), &f.kind));
    }
    let l = Layout::new(req, session, service).await;
    page(&FormPage {
        statuses: equipment_status_choices(l.t, &f.status),
        kinds,
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
    session.require_staff()?;
    let f = EquipmentForm {
        status: EquipmentStatus::default().as_str().into(),
        ..EquipmentForm::default()
    };
    render(req, &session, service, None, f).await
}

#[handler]
pub async fn create(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<EquipmentForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let back = WebError::back("/ui/equipment/new");
    let (name, kind, status, details) = form.parts().map_err(back)?;
    let item = service
        .equipment()
        .create(
            &session.actor,
            NewEquipment {
                name,
                kind,
                category_id: None,
                status,
                details,
            },
            &session.client,
        )
        .await
        .map_err(WebError::back("/ui/equipment/new"))?;
    let to = format!("/ui/equipment/{}", item.id);
    Ok(done(req, session.lang.texts().saved, &to))
}

#[handler]
pub async fn edit_form(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    session.require_staff()?;
    let e = service
        .equipment()
        .get(&session.actor, EquipmentId(id))
        .await?;
    let text = |v: Option<String>| v.unwrap_or_default();
    let f = EquipmentForm {
        csrf: String::new(),
        name: e.name,
        kind: text(e.kind),
        status: e.status.as_str().into(),
        model: text(e.model),
        serial_number: text(e.serial_number),
        inventory_number: text(e.inventory_number),
        location: text(e.location),
        responsible_person: text(e.responsible_person),
        notes: text(e.notes),
    };
    render(req, &session, service, Some(id), f).await
}

#[handler]
pub async fn update(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Path(id): Path<i64>,
    Form(form): Form<EquipmentForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let back = format!("/ui/equipment/{id}/edit");
    let (name, kind, status, details) = form.parts().map_err(WebError::back(&back))?;
    service
        .equipment()
        .update(
            &session.actor,
            EquipmentId(id),
            EquipmentChanges {
                name: Some(name),
                kind: Some(kind),
                category_id: None,
                status: Some(status),
                details,
            },
            &session.client,
        )
        .await
        .map_err(WebError::back(&back))?;
    Ok(done(
        req,
        session.lang.texts().saved,
        &format!("/ui/equipment/{id}"),
    ))
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
            format!("/ui/equipment/{id}"),
            service
                .equipment()
                .delete(&session.actor, EquipmentId(id), &session.client),
        )
        .await?;
    let t = session.lang.texts();
    Ok(done(
        req,
        view::removal_text(t, removal, t.equipment_retired),
        "/ui/equipment",
    ))
}
