//! Time, in one place: fixdesk stores and reasons in UTC with whole seconds, the precision the
//! old API emitted.

use chrono::{NaiveDateTime, SubsecRound, Utc};

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(0)
}
