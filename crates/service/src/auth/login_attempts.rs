//! Sign-in attempts under way, so the brute-force bound holds under concurrency: an attempt is
//! counted from the moment it is admitted, before its password is hashed, not only once its
//! failure is stored. Sixty simultaneous guesses at one account therefore get ten tries, not
//! sixty.
//!
//! An attempt reads the stored failures, then is admitted against those plus the attempts in
//! flight plus the failures that finished since it started reading (which the read may have
//! missed). A failure is released only after its row is committed, so no attempt is ever
//! counted by neither side; some may be counted by both, which only errs towards refusing.
//!
//! Two refusals differ: failures alone at the bound lock the address (or the account) out;
//! failures plus attempts still in flight at the bound only mean "wait a moment" — a class
//! signing in at once on one shared account behind one address is not guessing, and none of
//! its attempts is a failure until its password is found wrong.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

/// In-flight and finished-failure counts of one account, or of one address against it.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    in_flight: u64,
    failed: u64,
}

#[derive(Debug, Default)]
struct Entry {
    account: Counts,
    by_address: HashMap<String, Counts>,
    /// Attempts between [`LoginAttempts::start`] and admission or refusal.
    reading: u64,
}

impl Entry {
    fn idle(&self) -> bool {
        self.reading == 0 && self.account.in_flight == 0
    }
}

#[derive(Debug, Clone)]
pub(crate) struct LoginAttempts {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    /// Address and account pairs whose lockout is already in the audit log this window: a
    /// flood of refused attempts costs one row, not a write each.
    refusals_noted: moka::future::Cache<(String, String), ()>,
}

impl Default for LoginAttempts {
    fn default() -> Self {
        Self {
            entries: Arc::default(),
            refusals_noted: moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(REFUSAL_NOTED_FOR)
                .build(),
        }
    }
}

/// How long one lockout's refusals are covered by the audit row of the first.
const REFUSAL_NOTED_FOR: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Why an attempt was not admitted.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal<E> {
    /// The failures already made reach the bound: `E` says for how long.
    Locked(E),
    /// Only with the attempts still in flight is the bound reached: try again in a moment.
    Busy,
}

/// What an attempt knew when it started reading the stored failures.
#[derive(Debug)]
pub(crate) struct Started {
    attempts: LoginAttempts,
    account: String,
    address: String,
    failed_account: u64,
    failed_address: u64,
    open: bool,
}

/// An admitted attempt. Dropped: it no longer counts as in flight; [`Admitted::failed`] first
/// makes it count as a failure for those still reading.
#[derive(Debug)]
pub(crate) struct Admitted {
    attempts: LoginAttempts,
    account: String,
    address: String,
    failed: bool,
}

/// The failures to weigh an attempt against: stored, plus what the store may not show yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pending {
    pub(crate) from_address: u64,
    pub(crate) on_account: u64,
}

impl LoginAttempts {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the lockout of `account` from `address` still has to be written down (true once
    /// per [`REFUSAL_NOTED_FOR`]).
    pub(crate) async fn first_refusal(&self, account: &str, address: &str) -> bool {
        self.refusals_noted
            .entry((account.to_owned(), address.to_owned()))
            .or_insert(())
            .await
            .is_fresh()
    }

    /// Call before reading the stored failures of `account` from `address`.
    pub(crate) fn start(&self, account: &str, address: &str) -> Started {
        let mut entries = self.lock();
        let e = entries.entry(account.to_string()).or_default();
        e.reading += 1;
        let by = e.by_address.get(address).copied().unwrap_or_default();
        Started {
            attempts: self.clone(),
            account: account.to_string(),
            address: address.to_string(),
            failed_account: e.account.failed,
            failed_address: by.failed,
            open: true,
        }
    }
}

impl Started {
    /// Decides with `allowed` whether the attempt goes ahead, counting it in flight if so:
    /// refused as [`Refusal::Locked`] when the stored failures plus those finished since the
    /// read are not allowed, as [`Refusal::Busy`] when only the attempts in flight tip it.
    pub(crate) fn admit<E>(
        mut self,
        stored: Pending,
        allowed: impl Fn(Pending) -> Result<(), E>,
    ) -> Result<Admitted, Refusal<E>> {
        let attempts = self.attempts.clone();
        let mut entries = attempts.lock();
        let e = entries.entry(self.account.clone()).or_default();
        e.reading -= 1;
        self.open = false;
        let by = e.by_address.get(&self.address).copied().unwrap_or_default();
        let failed = Pending {
            from_address: stored.from_address + by.failed.saturating_sub(self.failed_address),
            on_account: stored.on_account + e.account.failed.saturating_sub(self.failed_account),
        };
        let weighed = Pending {
            from_address: failed.from_address + by.in_flight,
            on_account: failed.on_account + e.account.in_flight,
        };
        let refusal = match (allowed(failed), allowed(weighed)) {
            (Err(locked), _) => Some(Refusal::Locked(locked)),
            (Ok(()), Err(_)) => Some(Refusal::Busy),
            (Ok(()), Ok(())) => None,
        };
        if let Some(refusal) = refusal {
            if e.idle() {
                entries.remove(&self.account);
            }
            return Err(refusal);
        }
        e.account.in_flight += 1;
        e.by_address
            .entry(self.address.clone())
            .or_default()
            .in_flight += 1;
        Ok(Admitted {
            attempts: attempts.clone(),
            account: std::mem::take(&mut self.account),
            address: std::mem::take(&mut self.address),
            failed: false,
        })
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        let mut entries = self.attempts.lock();
        if let Some(e) = entries.get_mut(&self.account) {
            e.reading -= 1;
            if e.idle() {
                entries.remove(&self.account);
            }
        }
    }
}

impl Admitted {
    /// The attempt failed and its failure is committed.
    pub(crate) fn failed(mut self) {
        self.failed = true;
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut entries = self.attempts.lock();
        let Some(e) = entries.get_mut(&self.account) else {
            return;
        };
        e.account.in_flight -= 1;
        if let Some(by) = e.by_address.get_mut(&self.address) {
            by.in_flight -= 1;
            if self.failed {
                by.failed += 1;
            }
        }
        if self.failed {
            e.account.failed += 1;
        }
        if e.idle() {
            entries.remove(&self.account);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_lockout_is_noted_once_per_address_and_account() {
        let attempts = LoginAttempts::default();
        assert!(attempts.first_refusal("victim", "a").await);
        assert!(!attempts.first_refusal("victim", "a").await);
        assert!(attempts.first_refusal("victim", "b").await);
        assert!(attempts.first_refusal("other", "a").await);
    }

    const LIMIT: u64 = 10;

    fn within(p: Pending) -> Result<(), ()> {
        if p.from_address < LIMIT {
            Ok(())
        } else {
            Err(())
        }
    }

    #[test]
    fn concurrent_attempts_are_admitted_only_up_to_the_bound() {
        let attempts = LoginAttempts::default();
        let stored = Pending {
            from_address: 0,
            on_account: 0,
        };
        let started: Vec<_> = (0..60)
            .map(|_| attempts.start("victim", "10.0.0.1"))
            .collect();
        let results: Vec<_> = started
            .into_iter()
            .map(|s| s.admit(stored, within))
            .collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 10);
        assert!(
            results
                .iter()
                .filter_map(|r| r.as_ref().err())
                .all(|e| *e == Refusal::Busy),
            "nobody has failed yet: the rest wait, none is locked out"
        );
        drop(results);
        assert!(attempts.lock().is_empty(), "nothing left behind");
    }

    #[test]
    fn a_failure_finished_during_a_read_is_counted_even_if_the_read_missed_it() {
        let attempts = LoginAttempts::default();
        let stored = Pending {
            from_address: 9,
            on_account: 9,
        };
        let first = attempts.start("victim", "a").admit(stored, within);
        let Ok(first) = first else {
            panic!("the tenth attempt goes ahead")
        };
        // Another attempt starts reading; meanwhile the first fails and is committed, but the
        // read still saw nine.
        let second = attempts.start("victim", "a");
        first.failed();
        assert_eq!(
            second.admit(stored, within).err(),
            Some(Refusal::Locked(())),
            "the eleventh is locked out"
        );
        // Another address is not held back by this one's failures.
        assert!(
            attempts
                .start("victim", "b")
                .admit(
                    Pending {
                        from_address: 0,
                        on_account: 10
                    },
                    within
                )
                .is_ok()
        );
    }
}
