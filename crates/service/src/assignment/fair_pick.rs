//! Fair assignment at filing time: who of a category's group gets a new ticket. Kept apart from
//! the rules' use cases (`assignment`), which file nothing, so filing a ticket need not reach
//! back into them.

use std::collections::HashSet;

use chrono::NaiveDate;
use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{CategoryId, UserId, assignment, assignment::Strategy};
use fixdesk_repository::{assignment as rules, users};
use fixdesk_usecases::ServiceError;

/// Who a ticket of `category` goes to by its rule, on `today`: `None` when no rule is on,
/// nobody of the group is available, or `current` already belongs to the group.
pub(crate) async fn pick<C: ConnectionTrait>(
    conn: &C,
    category: CategoryId,
    today: NaiveDate,
    current: Option<UserId>,
) -> Result<Option<UserId>, ServiceError> {
    let Some(rule) = rules::enabled_rule_for(conn, category).await? else {
        return Ok(None);
    };
    if current.is_some_and(|c| rule.agents.contains(&c)) {
        return Ok(None);
    }
    // First: it serialises filings under this rule (see `take_turn`).
    let turn = rules::take_turn(conn, rule.id).await?;
    let away = rules::away_on(conn, &rule.agents, today).await?;
    let available: HashSet<UserId> = users::with_ids(conn, rule.agents.iter().copied())
        .await?
        .into_iter()
        .filter(|u| u.takes_tickets() && !away.contains(&u.id))
        .map(|u| u.id)
        .collect();
    let open = match rule.strategy {
        Strategy::LeastOpen => rules::open_counts(conn, &rule.agents).await?,
        Strategy::RoundRobin => Default::default(),
    };
    Ok(assignment::choose(&rule, &available, turn, &open))
}
