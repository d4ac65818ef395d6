//! Each account's own settings of the interface.

use chrono::NaiveDateTime;
use fixdesk_domain::{Language, Preferences, TimeZone, UserId};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

use crate::{RepoError, entities::user_preference};

/// The account's preferences (all unset when it never chose any). A stored value that no
/// longer parses (a zone dropped from the database) reads as unset rather than failing.
pub async fn find<C: ConnectionTrait>(conn: &C, user: UserId) -> Result<Preferences, RepoError> {
    let row = user_preference::Entity::find_by_id(user.0)
        .one(conn)
        .await?;
    Ok(row.map_or_else(Preferences::default, |r| Preferences {
        time_zone: r.time_zone.as_deref().and_then(|z| TimeZone::parse(z).ok()),
        language: r.language.as_deref().and_then(|l| Language::parse(l).ok()),
        ticket_filters: r.ticket_filters,
    }))
}

/// Stores the whole set, creating the row on first use.
pub async fn save<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    prefs: &Preferences,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    use user_preference::Column as C;
    user_preference::Entity::insert(user_preference::ActiveModel {
        user_id: Set(user.0),
        time_zone: Set(prefs.time_zone.map(|z| z.name().to_string())),
        language: Set(prefs.language.map(|l| l.as_str().to_string())),
        ticket_filters: Set(prefs.ticket_filters.clone()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(C::UserId)
            .update_columns([C::TimeZone, C::Language, C::TicketFilters, C::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
