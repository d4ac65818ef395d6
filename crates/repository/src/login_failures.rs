//! Failed sign-ins by the account name tried, for the brute-force bound.

use chrono::NaiveDateTime;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::{RepoError, entities::login_failure};

/// Records a failure for `account` (as `fixdesk_domain::login_guard::account_key` names it)
/// from `ip`, and drops failures older than `forget_before`.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    account: &str,
    ip: Option<&str>,
    now: NaiveDateTime,
    forget_before: NaiveDateTime,
) -> Result<(), RepoError> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::CreatedAt.lt(forget_before))
        .exec(conn)
        .await?;
    login_failure::Entity::insert(login_failure::ActiveModel {
        account: Set(account.to_string()),
        ip_address: Set(ip.map(str::to_string)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Failures for `account` since `since`, from `ip` only when given.
pub async fn count<C: ConnectionTrait>(
    conn: &C,
    account: &str,
    ip: Option<&str>,
    since: NaiveDateTime,
) -> Result<u64, RepoError> {
    let mut q = login_failure::Entity::find()
        .filter(login_failure::Column::Account.eq(account))
        .filter(login_failure::Column::CreatedAt.gte(since));
    if let Some(ip) = ip {
        q = q.filter(login_failure::Column::IpAddress.eq(ip));
    }
    Ok(q.count(conn).await?)
}
