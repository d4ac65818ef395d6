//! Time, in one place: fixdesk stores and reasons in UTC with whole seconds, the precision the
//! old API emitted.

use chrono::{NaiveDateTime, SubsecRound, Utc};

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(0)
}

/// The service's "now" for tickets and their service-level clocks: real time, which tests and
/// drills move forward with [`crate::Fixdesk::advance_clock`] instead of sleeping through a
/// working day.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    ahead_secs: std::sync::atomic::AtomicI64,
}

impl Clock {
    pub(crate) fn now(&self) -> NaiveDateTime {
        now()
            + chrono::Duration::seconds(self.ahead_secs.load(std::sync::atomic::Ordering::Relaxed))
    }

    pub(crate) fn advance(&self, by: chrono::Duration) {
        self.ahead_secs
            .fetch_add(by.num_seconds(), std::sync::atomic::Ordering::Relaxed);
    }
}
