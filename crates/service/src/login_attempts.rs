//! Sign-in attempts under way, so the brute-force bound holds under concurrency: an attempt is
//! counted from the moment it is admitted, before its password is hashed, not only once its
//! failure is stored. Sixty simultaneous guesses at one account therefore get ten tries, not
//! sixty.
//!
//! An attempt reads the stored failures, then is admitted against those plus the attempts in
//! flight plus the failures that finished since it started reading (which the read may have
//! missed). A failure is released only after its row is committed, so no attempt is ever
//! counted by neither side; some may be counted by both, which only errs towards refusing.

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

#[derive(Debug, Default, Clone)]
pub(crate) struct LoginAttempts {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
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
    /// Decides with `allowed` (given the stored failures plus everything in flight or finished
    /// since the read) whether the attempt goes ahead, counting it in flight if so.
    pub(crate) fn admit<E>(
        mut self,
        stored: Pending,
        allowed: impl FnOnce(Pending) -> Result<(), E>,
    ) -> Result<Admitted, E> {
        let attempts = self.attempts.clone();
        let mut entries = attempts.lock();
        let e = entries.entry(self.account.clone()).or_default();
        e.reading -= 1;
        self.open = false;
        let by = e.by_address.get(&self.address).copied().unwrap_or_default();
        let weighed = Pending {
            from_address: stored.from_address
                + by.in_flight
                + by.failed.saturating_sub(self.failed_address),
            on_account: stored.on_account
                + e.account.in_flight
                + e.account.failed.saturating_sub(self.failed_account),
        };
        if let Err(refusal) = allowed(weighed) {
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
        assert!(
            second.admit(stored, within).is_err(),
            "the eleventh is refused"
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
