//! Tickets and messages on the wire. Besides the contract's fields, a ticket carries the names
//! of its creator and assignee (`created_by`, `assigned_to`, which the old frontend already
//! looks for), `closed_at` and `messages_count`: additions only.

use fixdesk_usecases::domain::{
    CategoryId, Description, EquipmentId, MessageText, NewTicket, Priority, Resolution, RoomNumber,
    Ticket, TicketChanges, TicketMessage, TicketStatus, Title, UserId,
};
use poem_openapi::Object;
use serde::Deserialize;

use super::{
    common::{patch, present, required},
    params::iso,
};
use crate::{error::ApiError, validation::Checker};

#[derive(Debug, Object, serde::Serialize)]
pub struct PersonOut {
    pub id: i64,
    #[oai(nullable)]
    pub name: Option<String>,
}

#[derive(Debug, Object, serde::Serialize)]
pub struct TicketOut {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub priority: String,
    pub status: String,
    #[oai(nullable)]
    pub category_id: Option<i64>,
    pub room_number: String,
    #[oai(nullable)]
    pub equipment_id: Option<i64>,
    pub created_at: String,
    #[oai(nullable)]
    pub updated_at: Option<String>,
    #[oai(nullable)]
    pub closed_at: Option<String>,
    pub creator_id: i64,
    #[oai(nullable)]
    pub assigned_to_id: Option<i64>,
    #[oai(nullable)]
    pub resolution: Option<String>,
    pub created_by: PersonOut,
    #[oai(nullable)]
    pub assigned_to: Option<PersonOut>,
    pub messages_count: i64,
}

impl From<Ticket> for TicketOut {
    fn from(t: Ticket) -> Self {
        Self {
            id: t.id.0,
            title: t.title,
            description: t.description,
            priority: t.priority.as_str().into(),
            status: t.status.as_str().into(),
            category_id: t.category_id.map(|c| c.0),
            room_number: t.room_number,
            equipment_id: t.equipment_id.map(|e| e.0),
            created_at: iso(t.created_at),
            updated_at: Some(iso(t.updated_at)),
            closed_at: t.closed_at.map(iso),
            creator_id: t.creator_id.0,
            assigned_to_id: t.assigned_to_id.map(|u| u.0),
            resolution: t.resolution,
            created_by: PersonOut {
                id: t.creator_id.0,
                name: t.creator_name,
            },
            assigned_to: t.assigned_to_id.map(|u| PersonOut {
                id: u.0,
                name: t.assigned_to_name,
            }),
            messages_count: t.messages_count,
        }
    }
}

#[derive(Debug, Object, Deserialize)]
pub struct CreateTicketIn {
    pub title: String,
    pub description: String,
    pub room_number: String,
    #[serde(default)]
    #[oai(nullable)]
    pub priority: Option<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub category_id: Option<i64>,
    #[serde(default)]
    #[oai(nullable)]
    pub equipment_id: Option<i64>,
}

impl CreateTicketIn {
    pub fn into_domain(self) -> Result<NewTicket, ApiError> {
        let mut c = Checker::default();
        let title = c.check(&self.title, Title::parse(&self.title));
        let description = c.check(&self.description, Description::parse(&self.description));
        let room_number = c.check(&self.room_number, RoomNumber::parse(&self.room_number));
        let priority = c.check(
            &self.priority,
            self.priority
                .as_deref()
                .map_or(Ok(Priority::Medium), str::parse),
        );
        c.finish(|| {
            Some(NewTicket {
                title: title?,
                description: description?,
                room_number: room_number?,
                priority: priority?,
                category_id: self.category_id.map(CategoryId),
                equipment_id: self.equipment_id.map(EquipmentId),
            })
        })
    }
}

/// A partial update; keys present are applied. `null` clears category, equipment, assignee
/// and resolution, and is refused for the rest.
#[derive(Debug, Object, Deserialize)]
pub struct UpdateTicketIn {
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub room_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub priority: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub status: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub category_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub equipment_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub assigned_to_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[oai(nullable)]
    pub resolution: Option<Option<String>>,
}

impl UpdateTicketIn {
    pub fn into_domain(self) -> Result<TicketChanges, ApiError> {
        let mut c = Checker::default();
        let title = c.check(
            &self.title,
            required("title", self.title.clone())
                .and_then(|v| v.as_deref().map(Title::parse).transpose()),
        );
        let description = c.check(
            &self.description,
            required("description", self.description.clone())
                .and_then(|v| v.as_deref().map(Description::parse).transpose()),
        );
        let room_number = c.check(
            &self.room_number,
            required("room_number", self.room_number.clone())
                .and_then(|v| v.as_deref().map(RoomNumber::parse).transpose()),
        );
        let priority = c.check(
            &self.priority,
            required("priority", self.priority.clone())
                .and_then(|v| v.as_deref().map(str::parse::<Priority>).transpose()),
        );
        let status = c.check(
            &self.status,
            required("status", self.status.clone())
                .and_then(|v| v.as_deref().map(str::parse::<TicketStatus>).transpose()),
        );
        let resolution = c.check(
            &self.resolution,
            patch(self.resolution.clone()).try_map(|r| Resolution::parse(&r)),
        );
        c.finish(|| {
            Some(TicketChanges {
                title: title?,
                description: description?,
                room_number: room_number?,
                priority: priority?,
                status: status?,
                category_id: patch(self.category_id).map(CategoryId),
                equipment_id: patch(self.equipment_id).map(EquipmentId),
                assigned_to_id: patch(self.assigned_to_id).map(UserId),
                resolution: resolution?,
            })
        })
    }
}

#[derive(Debug, Object, Deserialize)]
pub struct MessageIn {
    pub message: String,
}

impl MessageIn {
    pub fn into_domain(self) -> Result<MessageText, ApiError> {
        let mut c = Checker::default();
        let text = c.check(&self.message, MessageText::parse(&self.message));
        c.finish(|| text)
    }
}

#[derive(Debug, Object)]
pub struct TicketMessageOut {
    pub id: i64,
    pub ticket_id: i64,
    pub user_id: i64,
    pub message: String,
    pub created_at: String,
    #[oai(nullable)]
    pub author_name: Option<String>,
}

impl From<TicketMessage> for TicketMessageOut {
    fn from(m: TicketMessage) -> Self {
        Self {
            id: m.id.0,
            ticket_id: m.ticket_id.0,
            user_id: m.user_id.0,
            message: m.message,
            created_at: iso(m.created_at),
            author_name: m.author_name,
        }
    }
}

#[derive(Debug, Object)]
pub struct CountOut {
    pub count: i64,
}
