use chrono::{Duration, NaiveDateTime};
use fixdesk_usecases::domain::{AuditFilter, Page, Role, UserId};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{Tag, json_list};
use crate::{
    Service,
    dto::{
        audit::AuditItemOut,
        params::{date_or_datetime, query_value},
    },
    error::ApiResult,
    extract::{AuditAdmin, path_id},
};

#[derive(Debug)]
pub struct AuditApi;

#[derive(Debug, ApiResponse)]
enum AuditList {
    /// The page; `X-Total-Count` says how many records match in all.
    #[oai(status = 200)]
    Page(
        Json<Vec<AuditItemOut>>,
        #[oai(header = "X-Total-Count")] u64,
    ),
}

/// A date-only upper bound means the whole of that day.
fn upper_bound(raw: &str) -> Result<NaiveDateTime, fixdesk_usecases::domain::FieldError> {
    let at = date_or_datetime("to_date", raw)?;
    Ok(if raw.trim().len() == 10 {
        at + Duration::days(1) - Duration::seconds(1)
    } else {
        at
    })
}

#[OpenApi(tag = "Tag::Audit")]
impl AuditApi {
    /// The audit log, newest first (admins). Dates are inclusive; a date alone means the
    /// whole day. `user_id=0` means any user.
    #[oai(path = "/audit-logs/", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        service: Data<&Service>,
        auth: AuditAdmin,
        skip: Query<Option<i64>>,
        limit: Query<Option<i64>>,
        action_type: Query<Option<String>>,
        entity_type: Query<Option<String>>,
        entity_id: Query<Option<i64>>,
        user_id: Query<Option<i64>>,
        role: Query<Option<String>>,
        from_date: Query<Option<String>>,
        to_date: Query<Option<String>>,
    ) -> ApiResult<AuditList> {
        let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let filter = AuditFilter {
            action_type: text(action_type.0),
            entity_type: text(entity_type.0),
            entity_id: entity_id.0,
            user_id: user_id.0.filter(|id| *id != 0).map(UserId),
            role: query_value("role", role.0, str::parse::<Role>)?,
            from: query_value("from_date", from_date.0, |s| {
                date_or_datetime("from_date", s)
            })?,
            to: query_value("to_date", to_date.0, upper_bound)?,
            after_id: None,
        };
        let page = Page::new(skip.0.unwrap_or(0), limit.0.unwrap_or(100));
        let result = service.audit().list(&auth.0, filter, page).await?;
        Ok(AuditList::Page(json_list(result.items), result.total))
    }

    /// Every action type in use.
    #[oai(path = "/audit-logs/action-types", method = "get")]
    async fn action_types(
        &self,
        service: Data<&Service>,
        auth: AuditAdmin,
    ) -> ApiResult<Json<Vec<String>>> {
        Ok(Json(service.audit().action_types(&auth.0).await?))
    }

    #[oai(path = "/audit-logs/:log_id", method = "get")]
    async fn get(
        &self,
        service: Data<&Service>,
        auth: AuditAdmin,
        log_id: Path<String>,
    ) -> ApiResult<Json<AuditItemOut>> {
        let id = path_id("log_id", &log_id.0)?;
        Ok(Json(service.audit().get(&auth.0, id).await?.into()))
    }
}
