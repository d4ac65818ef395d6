//! Times as the visitor reads them: in their own time zone (the account's, else the one their
//! browser reported, else the server's `default_time_zone`), recent ones as "5 min ago" with
//! the exact time on hover. Stored times are UTC; only this module turns them into local time.

use std::fmt;

use chrono::{NaiveDateTime, TimeZone as _, Utc};
use fixdesk_usecases::domain::TimeZone;
use poem::Request;

use crate::{WebConfig, i18n::Texts};

/// The cookie that carries the visitor's zone between requests (set from the account at
/// sign-in, or from the browser's report).
pub const ZONE_COOKIE: &str = "fixdesk_tz";

/// The visitor's zone and the moment the page is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub zone: TimeZone,
    /// Whether the zone came from the visitor (account or browser) rather than the default.
    pub known: bool,
    now: NaiveDateTime,
    t: &'static Texts,
}

impl Clock {
    pub fn of(req: &Request, t: &'static Texts) -> Self {
        let chosen = req
            .cookie()
            .get(ZONE_COOKIE)
            .and_then(|c| TimeZone::parse(c.value_str()).ok());
        let fallback = req
            .data::<WebConfig>()
            .map_or(TimeZone::UTC, |c| c.default_time_zone);
        Self::new(chosen.unwrap_or(fallback), chosen.is_some(), t)
    }

    pub fn new(zone: TimeZone, known: bool, t: &'static Texts) -> Self {
        Self {
            zone,
            known,
            now: Utc::now().naive_utc(),
            t,
        }
    }

    /// The moment the page is drawn (UTC, as times are stored).
    pub fn now(&self) -> NaiveDateTime {
        self.now
    }

    /// The local wall-clock time of a stored (UTC) time.
    pub fn local(&self, at: &NaiveDateTime) -> chrono::DateTime<chrono_tz::Tz> {
        self.zone.tz().from_utc_datetime(at)
    }

    /// A stored time, local, to the minute (for exports and texts without hover).
    pub fn exact(&self, at: &NaiveDateTime) -> String {
        self.local(at).format("%Y-%m-%d %H:%M").to_string()
    }

    pub fn when(&self, at: &NaiveDateTime) -> When {
        let local = self.local(at);
        let ago = self.now.signed_duration_since(*at);
        let minutes = ago.num_minutes();
        let relative = ago.num_seconds() >= 0 && minutes < 60;
        let shown = if !relative {
            local.format("%Y-%m-%d %H:%M").to_string()
        } else if minutes < 1 {
            self.t.just_now.to_string()
        } else {
            self.t.minutes_ago.replace("{}", &minutes.to_string())
        };
        When {
            relative,
            iso: at
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            exact: local.format("%Y-%m-%d %H:%M:%S %Z").to_string(),
            shown,
        }
    }

    pub fn when_opt(&self, at: &Option<NaiveDateTime>) -> Option<When> {
        at.as_ref().map(|a| self.when(a))
    }
}

/// A time on a page: shown short, exact (with the zone) on hover, machine-readable in
/// `datetime`. Displays as the whole `<time>` element; every part is built here from digits
/// and our own words, so it needs no escaping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// Shown as "5 min ago" (the same in every zone).
    pub relative: bool,
    pub iso: String,
    pub exact: String,
    pub shown: String,
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = if self.relative { r#" class="ago""# } else { "" };
        write!(
            f,
            r#"<time datetime="{}" title="{}"{class}>{}</time>"#,
            self.iso, self.exact, self.shown
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::i18n::Lang;

    fn clock(zone: &str) -> Clock {
        Clock::new(TimeZone::parse(zone).expect("zone"), true, Lang::En.texts())
    }

    #[test]
    fn a_moscow_morning_is_not_shown_as_utc_night() {
        let c = clock("Europe/Moscow");
        let filed =
            NaiveDateTime::parse_from_str("2026-03-10 00:50", "%Y-%m-%d %H:%M").expect("time");
        let w = c.when(&filed);
        assert_eq!(w.shown, "2026-03-10 03:50");
        assert_eq!(w.exact, "2026-03-10 03:50:00 MSK");
        assert_eq!(w.iso, "2026-03-10T00:50:00Z");
    }

    #[test]
    fn daylight_saving_comes_from_the_zone_database() {
        let c = clock("Europe/Berlin");
        let winter =
            NaiveDateTime::parse_from_str("2026-01-10 12:00", "%Y-%m-%d %H:%M").expect("time");
        let summer =
            NaiveDateTime::parse_from_str("2026-07-10 12:00", "%Y-%m-%d %H:%M").expect("time");
        assert_eq!(c.exact(&winter), "2026-01-10 13:00");
        assert_eq!(c.exact(&summer), "2026-07-10 14:00");
    }

    #[test]
    fn recent_times_read_as_minutes_ago() {
        let c = clock("UTC");
        assert_eq!(c.when(&(c.now - Duration::seconds(20))).shown, "just now");
        assert_eq!(c.when(&(c.now - Duration::minutes(5))).shown, "5 min ago");
        let older = c.now - Duration::hours(3);
        assert_eq!(c.when(&older).shown, c.exact(&older));
        assert!(c.when(&older).to_string().starts_with("<time datetime=\""));
    }
}
