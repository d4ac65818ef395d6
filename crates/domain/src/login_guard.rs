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
