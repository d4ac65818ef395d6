//! Time, in one place: fixdesk stores and reasons in UTC with whole seconds, the precision the
//! old API emitted. Two sources, each for its own kind of time:
//!
//! - [`Clock`] (`ctx.clock`), the service's "now" for everything a person's work dates: tickets,
//!   messages, service-level clocks, maintenance plans, statistics windows, notifications, audit
//!   rows. Tests and drills move it forward; every use case reads it.
//! - [`wall`], the machine's time, for what must be real elapsed time or what several
//!   processes compare with each other through the database: sign-ins, sessions and the
//!   brute-force windows (a token's expiry is checked against real time anyway), the job
//!   queue's schedule and leases, stored files abandoned by a killed instance, the readiness
//!   probe's write.

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// The machine's time (see the module's description for what it is used for).
pub fn wall() -> NaiveDateTime {
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
        wall()
            + chrono::Duration::seconds(self.ahead_secs.load(std::sync::atomic::Ordering::Relaxed))
    }

    pub(crate) fn advance(&self, by: chrono::Duration) {
        self.ahead_secs
            .fetch_add(by.num_seconds(), std::sync::atomic::Ordering::Relaxed);
    }
}
