//! Named server secrets generated on first need and then kept.

use chrono::NaiveDateTime;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::{RepoError, entities::secret};

/// Returns the secret called `name`, storing `candidate` first if there is none yet. When two
/// instances race, both end up with whichever value was stored first.
pub async fn get_or_insert<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    candidate: &str,
    now: NaiveDateTime,
) -> Result<String, RepoError> {
    secret::Entity::insert(secret::ActiveModel {
        name: Set(name.to_string()),
        value: Set(candidate.to_string()),
        created_at: Set(now),
    })
    .on_conflict_do_nothing_on([secret::Column::Name])
    .exec_without_returning(conn)
    .await?;
    secret::Entity::find_by_id(name.to_string())
        .one(conn)
        .await?
        .map(|s| s.value)
        .ok_or(RepoError::NotFound)
}
