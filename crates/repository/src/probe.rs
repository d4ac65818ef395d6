//! The readiness probe's write: one row rewritten in place.

use chrono::NaiveDateTime;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

use crate::{RepoError, entities::write_probe};

/// Writes the probe row (inserting it the first time).
pub async fn touch<C: ConnectionTrait>(conn: &C, now: NaiveDateTime) -> Result<(), RepoError> {
    write_probe::Entity::insert(write_probe::ActiveModel {
        id: Set(1),
        checked_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(write_probe::Column::Id)
            .update_column(write_probe::Column::CheckedAt)
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
