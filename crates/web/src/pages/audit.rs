//! The audit log (admins): every change and sign-in, newest first, with the API's filters.

use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;

use fixdesk_usecases::domain::{
    AuditFilter, AuditRecord, Page, Role, UserId,
    timeline::{self, TimelineEvent},
};
use poem::{
    Request, Response, handler,
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    clock::When,
    form::{given, page_number, parse_opt},
    i18n::Texts,
    layout::{Layout, page},
    pages::ticket_timeline::{event_text, field_word},
    session::Session,
    view::{self, Choice, PAGE_SIZE, Pager},
};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuditFilters {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    action: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    entity: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    entity_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    role: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    to: String,
    #[serde(default, skip_serializing)]
    page: Option<String>,
}

/// A date field: the start of the day, or its end for an upper bound.
fn day(field: &str, raw: &str, end: bool) -> Result<Option<NaiveDateTime>, WebError> {
    Ok(parse_opt::<NaiveDate>(field, raw)?.and_then(|d| {
        if end {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        }
    }))
}

impl AuditFilters {
    fn filter(&self) -> Result<AuditFilter, WebError> {
        Ok(AuditFilter {
            action_type: given(&self.action).map(str::to_string),
            entity_type: given(&self.entity).map(str::to_string),
            entity_id: parse_opt("entity_id", &self.entity_id)?,
            user_id: parse_opt::<i64>("user", &self.user)?.map(UserId),
            role: parse_opt::<Role>("role", &self.role)?,
            from: day("from", &self.from, false)?,
            to: day("to", &self.to, true)?,
            after_id: None,
        })
    }
}

#[derive(Debug)]
pub struct AuditRow {
    pub id: i64,
    pub at: When,
    /// The action's code (kept on hover) and its word.
    pub action: String,
    pub action_label: String,
    /// The object in words, and its page where it has one.
    pub entity: String,
    pub entity_link: Option<String>,
    pub who: String,
    pub who_link: Option<String>,
    pub description: String,
    pub ip: String,
}

/// What a row says, in the reader's language: a ticket's change as its timeline words it,
/// else (on an English page) the fields it changed; the stored sentence — written in Russian
/// when the change was made — only where it is the reader's language and nothing structured
/// says more.
fn described(t: &Texts, r: &AuditRecord, names: &HashMap<i64, String>) -> String {
    if r.entity_type.as_deref() == Some("ticket") {
        let mut events = timeline::from_audit(r);
        for e in &mut events {
            if let TimelineEvent::Assignee {
                to: Some(id),
                to_name,
                ..
            } = e
            {
                *to_name = names.get(id).cloned();
            }
        }
        if !events.is_empty() {
            let words: Vec<String> = events.into_iter().map(|e| event_text(t, e)).collect();
            return words.join("; ");
        }
    }
    if t.lang_code == "ru" {
        return r.description.clone();
    }
    match &r.new_values {
        Some(serde_json::Value::Object(fields)) if !fields.is_empty() => {
            let words: Vec<String> = fields.keys().map(|k| field_word(t, k)).collect();
            t.changed_fields.replace("{}", &words.join(", "))
        }
        // The action and the object columns say what happened.
        _ => String::new(),
    }
}

/// The page of an audited object, for the kinds that have one.
fn object_page(kind: &str, id: i64) -> Option<String> {
    match kind {
        "ticket" => Some(format!("/ui/tickets/{id}")),
        "equipment" => Some(format!("/ui/equipment/{id}")),
        "user" => Some(format!("/ui/users/{id}")),
        "category" => Some("/ui/categories".to_string()),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct ListPage {
    l: Layout,
    f: AuditFilters,
    rows: Vec<AuditRow>,
    pager: Pager,
    actions: Vec<Choice>,
    entities: Vec<Choice>,
    users: Vec<Choice>,
    roles: Vec<Choice>,
}

const ENTITIES: [&str; 9] = [
    "user",
    "ticket",
    "ticket_message",
    "category",
    "equipment",
    "maintenance",
    "notification",
    "attachment",
    "request",
];

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(f): Query<AuditFilters>,
) -> Result<Response, WebError> {
    let actor = &session.actor;
    let number = page_number(f.page.as_deref());
    let audit = service.audit();
    let found = audit
        .list(
            actor,
            f.filter()?,
            Page {
                offset: Pager::offset(number),
                limit: PAGE_SIZE,
            },
        )
        .await?;
    let actions = audit.action_types(actor).await?;
    let users = service.users().directory(actor).await?;
    let names: HashMap<i64, String> = users
        .iter()
        .map(|u| {
            let name = fixdesk_usecases::domain::display_name(u.full_name.as_deref(), &u.username);
            (u.id.0, name)
        })
        .collect();
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    page(&ListPage {
        rows: found
            .items
            .into_iter()
            .map(|r| AuditRow {
                description: described(t, &r, &names),
                id: r.id,
                at: l.clock.when(&r.created_at),
                action_label: view::audit_action_label(t, &r.action_type).to_string(),
                action: r.action_type,
                entity_link: match (&r.entity_type, r.entity_id) {
                    (Some(kind), Some(id)) => object_page(kind, id),
                    _ => None,
                },
                entity: match (&r.entity_type, r.entity_id) {
                    (Some(kind), Some(id)) => {
                        format!("{} #{id}", view::audit_entity_label(t, kind))
                    }
                    (Some(kind), None) => view::audit_entity_label(t, kind).to_string(),
                    _ => String::new(),
                },
                who_link: r.user.as_ref().map(|u| format!("/ui/users/{}", u.id)),
                who: r
                    .user
                    .map(|u| {
                        fixdesk_usecases::domain::display_name(u.full_name.as_deref(), &u.username)
                    })
                    .unwrap_or_default(),
                ip: r.ip_address.unwrap_or_default(),
            })
            .collect(),
        pager: Pager::new("/ui/audit", &f, number, Some(found.total), false),
        actions: actions
            .into_iter()
            .map(|a| Choice::new(a.clone(), view::audit_action_label(t, &a), &f.action))
            .collect(),
        entities: ENTITIES
            .into_iter()
            .map(|e| Choice::new(e, view::audit_entity_label(t, e), &f.entity))
            .collect(),
        users: users
            .into_iter()
            .map(|u| Choice::new(u.id.to_string(), u.username, &f.user))
            .collect(),
        roles: view::role_choices(l.t, &f.role),
        f,
        l,
    })
}

/// The log as the filters select it, as CSV (with a byte-order mark, so a spreadsheet reads
/// the Cyrillic right), streamed a page at a time.
#[handler]
pub async fn export(
    session: Session,
    Data(service): Data<&Service>,
    Query(f): Query<AuditFilters>,
) -> Result<Response, WebError> {
    use futures::{StreamExt, TryStreamExt};
    let rows = service
        .audit()
        .export_csv(&session.actor, f.filter()?)
        .await?;
    let bom = futures::stream::once(async { Ok("\u{feff}".as_bytes().to_vec()) });
    let body = bom
        .chain(rows)
        .map_err(|e| std::io::Error::other(e.to_string()))
        .boxed();
    let name = format!("audit-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok(crate::pages::attachments::stream_file(
        "text/csv; charset=utf-8",
        fixdesk_edge::content_disposition(&name),
        body,
    ))
}
