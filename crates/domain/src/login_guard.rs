//! How many failed sign-ins an account takes before it is protected, without letting an
//! attacker lock its owner out:
//!
//! - one address gets at most [`PER_ADDRESS`] failures per account within [`ADDRESS_WINDOW`];
//! - after [`PER_ACCOUNT`] failures within [`ACCOUNT_WINDOW`], only addresses the account has
//!   signed in from before may try (its owner, from their usual machine, still can).

use chrono::TimeDelta;

/// Failures one address may make against one account within [`ADDRESS_WINDOW`].
pub const PER_ADDRESS: u64 = 10;
pub const ADDRESS_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Failures an account takes within [`ACCOUNT_WINDOW`] before only known addresses may try.
pub const PER_ACCOUNT: u64 = 100;
pub const ACCOUNT_WINDOW: TimeDelta = TimeDelta::hours(1);

/// The account an attempt counts against: the name tried, whether or not anybody has it, so
/// that a lockout looks the same for a real name and an invented one. Case-insensitive, at
/// most 100 characters, control characters escaped.
pub fn account_key(username: &str) -> String {
    let name: String = username.trim().to_lowercase().chars().take(100).collect();
    crate::text::escape_controls(&name)
        .chars()
        .take(100)
        .collect()
}

/// Whether a sign-in attempt may go ahead; otherwise the seconds to wait (the window that
/// counted the failures).
pub fn check(
    from_this_address: u64,
    in_account_window: u64,
    known_address: bool,
) -> Result<(), u64> {
    let wait = |window: TimeDelta| window.num_seconds().unsigned_abs();
    if from_this_address >= PER_ADDRESS {
        return Err(wait(ADDRESS_WINDOW));
    }
    if in_account_window >= PER_ACCOUNT && !known_address {
        return Err(wait(ACCOUNT_WINDOW));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_keys_ignore_case_and_hold_no_control_characters() {
        assert_eq!(account_key(" Admin "), "admin");
        assert_eq!(account_key("ad\0min"), "ad\\u{0}min");
        assert_eq!(account_key(&"я".repeat(300)).chars().count(), 100);
    }

    #[test]
    fn addresses_and_accounts_are_bounded_but_the_owner_gets_in() {
        assert_eq!(check(0, 0, false), Ok(()));
        assert_eq!(check(9, 99, false), Ok(()));
        assert_eq!(
            check(10, 10, true),
            Err(900),
            "even a known address is slowed after ten misses"
        );
        assert_eq!(
            check(0, 100, false),
            Err(3600),
            "a fresh address, once the account is under attack"
        );
        assert_eq!(check(0, 5000, true), Ok(()), "the owner's usual address");
    }
}
