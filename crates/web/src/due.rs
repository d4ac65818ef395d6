//! When a ticket is due, as a badge: how much working time is left (or how late it is), amber
//! from 80 % of the target, red once broken, grey while the clock stands still; and the
//! explanation of the due time the ticket page shows.

use fixdesk_usecases::domain::sla::{ClockReading, SlaReading};

use crate::{clock::Clock, durations::span, i18n::Texts};

/// One clock as a badge.
#[derive(Debug, Clone)]
pub struct Due {
    /// `ok`, `warn`, `late`, `paused`, `met` or `missed` (the CSS class `due-…`).
    pub level: &'static str,
    pub label: String,
    /// The due time, local, to the minute.
    pub exact: String,
    /// When the clock stopped (answered, resolved), to the minute.
    pub done: Option<String>,
}

impl Due {
    /// A clock's badge; `paused`: the ticket's clocks stand still.
    pub fn of(t: &Texts, clock: &Clock, c: &ClockReading, paused: bool) -> Self {
        let (level, label) = if c.stopped_at.is_some() {
            if c.breached {
                (
                    "missed",
                    t.due_missed.replace("{}", &span(t, c.remaining_minutes)),
                )
            } else {
                ("met", t.due_met.to_string())
            }
        } else if paused {
            ("paused", t.due_paused.to_string())
        } else if c.breached {
            (
                "late",
                t.due_late.replace("{}", &span(t, c.remaining_minutes)),
            )
        } else {
            let label = t.due_in.replace("{}", &span(t, c.remaining_minutes));
            let level = if c.used_percent >= 80 { "warn" } else { "ok" };
            (level, label)
        };
        Self {
            level,
            label,
            exact: clock.exact(&c.due_at),
            done: c.stopped_at.as_ref().map(|at| clock.exact(at)),
        }
    }

    /// The resolution clock's badge, for lists.
    pub fn resolution(t: &Texts, clock: &Clock, r: &SlaReading) -> Self {
        Self::of(t, clock, &r.resolution, r.paused)
    }
}

/// Both clocks and how their due times came about, for the ticket page.
#[derive(Debug, Clone)]
pub struct DuePanel {
    pub first_response: Due,
    pub resolution: Due,
    /// "Target 4 h 00 min of working time" for each clock.
    pub first_response_target: String,
    pub resolution_target: String,
    /// How the resolution due time came about: filed when, counted in which calendar, moved
    /// by how much waiting.
    pub explanation: String,
}

impl DuePanel {
    /// `calendar`: the name of the calendar the clocks count in.
    pub fn new(t: &Texts, clock: &Clock, r: &SlaReading, calendar: &str) -> Self {
        let target = |c: &ClockReading| t.due_target.replace("{}", &span(t, c.target_minutes));
        let explanation = t
            .due_explained
            .replace("{filed}", &clock.exact(&r.filed_at))
            .replace("{calendar}", calendar)
            .replace("{target}", &span(t, r.resolution.target_minutes))
            .replace("{paused}", &span(t, r.paused_minutes))
            .replace("{due}", &clock.exact(&r.resolution.due_at));
        Self {
            explanation,
            first_response: Due::of(t, clock, &r.first_response, r.paused),
            resolution: Due::of(t, clock, &r.resolution, r.paused),
            first_response_target: target(&r.first_response),
            resolution_target: target(&r.resolution),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use chrono::NaiveDateTime;
    use fixdesk_usecases::domain::TimeZone;

    fn reading(remaining: i64, used: i64, stopped: bool) -> ClockReading {
        ClockReading {
            target_minutes: 240,
            due_at: NaiveDateTime::default(),
            stopped_at: stopped.then(NaiveDateTime::default),
            remaining_minutes: remaining,
            used_percent: used,
            breached: remaining < 0,
        }
    }

    #[test]
    fn badges_turn_amber_at_80_percent_and_red_when_broken() {
        let en = Lang::En.texts();
        let clock = Clock::new(TimeZone::UTC, true, en);
        let due =
            |r, used, stopped, paused| Due::of(en, &clock, &reading(r, used, stopped), paused);
        assert_eq!(due(125, 47, false, false).level, "ok");
        assert_eq!(due(125, 47, false, false).label, "due in 2 h 05 min");
        assert_eq!(due(30, 87, false, false).level, "warn");
        let late = due(-45, 118, false, false);
        assert_eq!(
            (late.level, late.label.as_str()),
            ("late", "late by 45 min")
        );
        assert_eq!(due(30, 87, false, true).level, "paused");
        assert!(due(30, 87, false, true).done.is_none());
        // A stopped clock says how it ended and when, whatever else holds it.
        for paused in [false, true] {
            let met = due(30, 87, true, paused);
            assert_eq!((met.level, met.label.as_str()), ("met", "done on time"));
            assert!(met.done.is_some());
            let missed = due(-3, 101, true, paused);
            assert_eq!(
                (missed.level, missed.label.as_str()),
                ("missed", "done late by 3 min")
            );
        }
    }
}
