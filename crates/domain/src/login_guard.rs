//! How many failed sign-ins an account takes before it is protected, without letting an
//! attacker lock its owner out:
//!
//! - one address gets at most [`PER_ADDRESS`] failures per account in [`ADDRESS_WINDOW_MINUTES`];
//! - after [`PER_ACCOUNT`] failures in an hour, only addresses the account has signed in from
//!   before may try (its owner, from their usual machine, still can).

/// Failures one address may make against one account within the address window.
pub const PER_ADDRESS: u64 = 10;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;
/// Failures an account takes within an hour before only known addresses may try.
pub const PER_ACCOUNT: u64 = 100;

/// Whether a sign-in attempt may go ahead; otherwise the seconds to wait.
pub fn check(
    from_this_address: u64,
    in_the_last_hour: u64,
    known_address: bool,
) -> Result<(), u64> {
    if from_this_address >= PER_ADDRESS {
        return Err(u64::try_from(ADDRESS_WINDOW_MINUTES * 60).unwrap_or(900));
    }
    if in_the_last_hour >= PER_ACCOUNT && !known_address {
        return Err(3600);
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
