//! A JSON answer written by serde straight into the body. poem-openapi's `Json` first builds a
//! `serde_json::Value` of the whole answer — a `String` for every field name of every row, a
//! copy of every text — and only then writes it, which for a page of tickets costs about as
//! much as the query behind it. The OpenAPI document describes `T` exactly as `Json<T>` would.

use poem::{IntoResponse, Response, http::StatusCode};
use poem_openapi::{
    ApiResponse,
    payload::{Json, Payload},
    registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry},
    types::Type,
};
use serde::Serialize;

/// What poem-openapi's `Json` answers with.
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

#[derive(Debug)]
pub struct Written<T>(pub T);

impl<T: Type> Payload for Written<T> {
    const CONTENT_TYPE: &'static str = CONTENT_TYPE;

    fn check_content_type(content_type: &str) -> bool {
        <Json<T> as Payload>::check_content_type(content_type)
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Serialize + Send> IntoResponse for Written<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => Response::builder().content_type(CONTENT_TYPE).body(body),
            // Only a map with non-string keys fails to serialize; no answer of ours has one.
            Err(e) => {
                tracing::error!(error = %e, "an answer could not be written as JSON");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

impl<T: Type + Serialize + Send> ApiResponse for Written<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: Self::CONTENT_TYPE,
                    schema: Self::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

#[cfg(test)]
mod tests {
    use poem_openapi::types::ToJSON;

    use crate::dto::{
        statistics::{PriorityCounts, StatusCounts, TicketSummaryOut},
        tickets::{PersonOut, TicketOut},
    };

    fn same_as_poem_openapi<T: ToJSON + serde::Serialize>(t: &T) {
        let written: serde_json::Value =
            serde_json::from_slice(&serde_json::to_vec(t).unwrap_or_default()).unwrap_or_default();
        assert_eq!(Some(written), t.to_json());
    }

    fn ticket(assigned: bool) -> TicketOut {
        TicketOut {
            id: 7,
            title: "Не печатает \"принтер\"".into(),
            description: "строка\nвторая".into(),
            priority: "high".into(),
            status: "new".into(),
            category_id: assigned.then_some(3),
            room_number: "204".into(),
            equipment_id: None,
            created_at: "2026-12-02T07:00:00".into(),
            updated_at: Some("2026-12-02T07:01:00".into()),
            closed_at: None,
            creator_id: 5,
            assigned_to_id: assigned.then_some(2),
            resolution: None,
            created_by: PersonOut {
                id: 5,
                name: Some("Анна".into()),
            },
            assigned_to: assigned.then_some(PersonOut { id: 2, name: None }),
            messages_count: 1,
            waiting_on_requester: false,
            planned: false,
            downtime_minutes: None,
            merged_into_id: assigned.then_some(4),
            sla: None,
        }
    }

    #[test]
    fn serde_writes_what_poem_openapi_would() {
        for assigned in [false, true] {
            same_as_poem_openapi(&ticket(assigned));
        }
        same_as_poem_openapi(&vec![ticket(true), ticket(false)]);
        for hours in [None, Some(12.345)] {
            same_as_poem_openapi(&TicketSummaryOut {
                total_tickets: 3,
                status_distribution: [("new".to_string(), 2), ("closed".to_string(), 1)].into(),
                priority_distribution: [("high".to_string(), 3)].into(),
                avg_resolution_time_hours: hours,
                total: 3,
                by_status: StatusCounts {
                    new: 2,
                    in_progress: 0,
                    closed: 1,
                },
                by_priority: PriorityCounts {
                    low: 0,
                    medium: 0,
                    high: 3,
                },
            });
        }
    }
}
