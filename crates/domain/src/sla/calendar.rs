//! Business calendars: when the desk works. Service-level targets are counted in the working
//! minutes of a calendar, in its own time zone, so "4 hours" filed on Friday at 17:55 at a desk
//! open 9–18 falls due on Monday at 12:55, and a week with a clock change or a holiday still
//! counts the minutes people actually work.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone as _};
use chrono_tz::Tz;

use crate::FieldError;

/// Whole days looked at before giving up on finding working time (a calendar with no working
/// day at all would otherwise loop for ever).
const HORIZON_DAYS: i64 = 3 * 366;

/// The working hours of one weekday, as minutes after local midnight: `start < end <= 1440`
/// (`end = 1440` is midnight at the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    pub start: u16,
    pub end: u16,
}

impl WorkingHours {
    /// Parses `09:00-18:00`; `24:00` ends a day at midnight.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                field,
                "value_error",
                "Working hours look like 09:00-18:00 (start before end, 00:00 to 24:00)",
            )
        };
        let (start, end) = raw.trim().split_once('-').ok_or_else(bad)?;
        let minutes = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
            (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
        };
        let (start, end) = (
            minutes(start).ok_or_else(bad)?,
            minutes(end).ok_or_else(bad)?,
        );
        if start >= end {
            return Err(bad());
        }
        Ok(Self { start, end })
    }

    /// `09:00-18:00`, as [`WorkingHours::parse`] reads it.
    pub fn to_text(self) -> String {
        format!(
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }

    pub fn minutes(self) -> i64 {
        i64::from(self.end - self.start)
    }
}

/// A day the desk is closed although it is a working weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    /// One date (a bridge day, an inventory day).
    Once(NaiveDate),
    /// The same month and day every year (New Year's Day).
    Yearly { month: u32, day: u32 },
}

impl Holiday {
    /// `2026-12-31` for one date, `12-31` for every year.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            return Ok(Holiday::Once(d));
        }
        // A leap year, so that 02-29 is a valid yearly holiday.
        if let Ok(d) = NaiveDate::parse_from_str(&format!("2024-{raw}"), "%Y-%m-%d") {
            return Ok(Holiday::Yearly {
                month: d.month(),
                day: d.day(),
            });
        }
        Err(FieldError::new(
            "holidays",
            "value_error",
            "A holiday is a date (2026-12-31) or a month and day for every year (12-31)",
        ))
    }

    pub fn to_text(self) -> String {
        match self {
            Holiday::Once(d) => d.format("%Y-%m-%d").to_string(),
            Holiday::Yearly { month, day } => format!("{month:02}-{day:02}"),
        }
    }

    fn falls_on(self, date: NaiveDate) -> bool {
        match self {
            Holiday::Once(d) => d == date,
            Holiday::Yearly { month, day } => date.month() == month && date.day() == day,
        }
    }
}

/// When a desk works: hours per weekday (Monday first), holidays and the time zone they are
/// read in. Instants in and out are UTC, as fixdesk stores them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    pub zone: Tz,
    pub week: [Option<WorkingHours>; 7],
    pub holidays: Vec<Holiday>,
}

impl BusinessCalendar {
    /// Monday to Friday, `start`–`end` minutes after midnight, in `zone`.
    pub fn weekdays(zone: Tz, hours: WorkingHours) -> Self {
        let mut week = [Some(hours); 7];
        week[5] = None;
        week[6] = None;
        Self {
            zone,
            week,
            holidays: Vec::new(),
        }
    }

    /// The working window of a local date, as UTC instants, or `None` on a day off.
    fn window(&self, date: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
        if self.holidays.iter().any(|h| h.falls_on(date)) {
            return None;
        }
        let hours = self.week[date.weekday().num_days_from_monday() as usize]?;
        let midnight = date.and_hms_opt(0, 0, 0)?;
        let at = |minutes: u16| self.utc(midnight + Duration::minutes(i64::from(minutes)));
        Some((at(hours.start), at(hours.end)))
    }

    /// A local wall time as UTC. A time skipped by a clock change is read as the first instant
    /// after the gap; a time that occurs twice, as its first occurrence.
    fn utc(&self, local: NaiveDateTime) -> NaiveDateTime {
        let mut probe = local;
        for _ in 0..4 {
            if let Some(t) = self.zone.from_local_datetime(&probe).earliest() {
                return t.naive_utc();
            }
            probe += Duration::minutes(30);
        }
        local
    }

    fn local_date(&self, utc: NaiveDateTime) -> NaiveDate {
        self.zone.from_utc_datetime(&utc).date_naive()
    }

    /// The instant `minutes` working minutes after `start` (UTC). Zero minutes is `start`
    /// itself; time outside working hours does not count.
    pub fn add_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        let mut left = Duration::minutes(minutes.max(0));
        if left.is_zero() {
            return start;
        }
        let first = self.local_date(start);
        for offset in 0..HORIZON_DAYS {
            let Some(date) = first.checked_add_signed(Duration::days(offset)) else {
                break;
            };
            let Some((open, close)) = self.window(date) else {
                continue;
            };
            let from = open.max(start);
            if close <= from {
                continue;
            }
            let available = close - from;
            if left <= available {
                return from + left;
            }
            left -= available;
        }
        // No working time within the horizon: the target cannot be met by working.
        start + Duration::days(HORIZON_DAYS)
    }

    /// Working minutes from `from` to `to` (UTC), negative when `to` comes first.
    pub fn minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to < from {
            return -self.minutes_between(to, from);
        }
        let mut worked = Duration::zero();
        let last = self.local_date(to);
        let mut date = self.local_date(from);
        while date <= last {
            if let Some((open, close)) = self.window(date) {
                let (a, b) = (open.max(from), close.min(to));
                if b > a {
                    worked += b - a;
                }
            }
            let Some(next) = date.succ_opt() else { break };
            date = next;
        }
        worked.num_minutes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn nine_to_six(zone: Tz) -> BusinessCalendar {
        BusinessCalendar::weekdays(zone, WorkingHours::parse("hours", "09:00-18:00").unwrap())
    }

    #[test]
    fn friday_evening_plus_four_hours_is_monday_noon() {
        let cal = nine_to_six(Tz::UTC);
        // 2026-12-04 is a Friday.
        assert_eq!(
            cal.add_minutes(at("2026-12-04 17:55"), 240),
            at("2026-12-07 12:55")
        );
        assert_eq!(
            cal.minutes_between(at("2026-12-04 17:55"), at("2026-12-07 12:55")),
            240
        );
    }

    #[test]
    fn time_before_opening_and_on_weekends_does_not_count() {
        let cal = nine_to_six(Tz::UTC);
        assert_eq!(
            cal.add_minutes(at("2026-12-05 10:00"), 30),
            at("2026-12-07 09:30")
        );
        assert_eq!(
            cal.add_minutes(at("2026-12-07 06:00"), 60),
            at("2026-12-07 10:00")
        );
        assert_eq!(
            cal.minutes_between(at("2026-12-05 00:00"), at("2026-12-07 00:00")),
            0
        );
        assert_eq!(
            cal.minutes_between(at("2026-12-07 12:00"), at("2026-12-07 10:00")),
            -120
        );
        assert_eq!(
            cal.add_minutes(at("2026-12-05 10:00"), 0),
            at("2026-12-05 10:00")
        );
    }

    #[test]
    fn holidays_once_and_yearly_are_skipped() {
        let mut cal = nine_to_six(Tz::UTC);
        cal.holidays = vec![
            Holiday::parse("2026-12-07").unwrap(),
            Holiday::parse("12-08").unwrap(),
        ];
        // Monday and Tuesday off: Friday 17:55 + 4 h is Wednesday.
        assert_eq!(
            cal.add_minutes(at("2026-12-04 17:55"), 240),
            at("2026-12-09 12:55")
        );
        // The yearly one again the next year (2027-12-08 is a Wednesday).
        assert_eq!(
            cal.add_minutes(at("2027-12-07 17:00"), 120),
            at("2027-12-09 10:00")
        );
        assert!(Holiday::parse("13-40").is_err());
        assert_eq!(Holiday::parse("02-29").unwrap().to_text(), "02-29");
    }

    #[test]
    fn working_hours_are_read_in_the_calendar_zone() {
        let cal = nine_to_six(chrono_tz::Europe::Moscow);
        // 09:00 in Moscow is 06:00 UTC.
        assert_eq!(
            cal.add_minutes(at("2026-12-07 05:00"), 60),
            at("2026-12-07 07:00")
        );
    }

    #[test]
    fn a_clock_change_inside_working_hours_counts_real_minutes() {
        // Round the clock in Berlin; on 2026-03-29 clocks jump from 02:00 to 03:00, so that
        // Sunday has 23 hours, and on 2026-10-25 one hour repeats, giving 25.
        let always = WorkingHours::parse("hours", "00:00-24:00").unwrap();
        let cal = BusinessCalendar {
            zone: chrono_tz::Europe::Berlin,
            week: [Some(always); 7],
            holidays: Vec::new(),
        };
        // Local midnight to midnight, in UTC: 2026-03-28 23:00 → 2026-03-29 22:00.
        assert_eq!(
            cal.minutes_between(at("2026-03-28 23:00"), at("2026-03-29 22:00")),
            23 * 60
        );
        assert_eq!(
            cal.minutes_between(at("2026-10-24 22:00"), at("2026-10-25 23:00")),
            25 * 60
        );
        assert_eq!(
            cal.add_minutes(at("2026-03-28 23:00"), 23 * 60),
            at("2026-03-29 22:00")
        );
    }

    #[test]
    fn a_shift_starting_in_a_skipped_hour_starts_after_the_gap() {
        // Working 02:30–05:00 in Berlin: on the spring-forward Sunday 02:30 does not exist;
        // the shift opens at 03:00 local (01:00 UTC) and holds 2 hours, not 2.5.
        let mut week = [None; 7];
        week[6] = Some(WorkingHours::parse("hours", "02:30-05:00").unwrap());
        let cal = BusinessCalendar {
            zone: chrono_tz::Europe::Berlin,
            week,
            holidays: Vec::new(),
        };
        assert_eq!(
            cal.minutes_between(at("2026-03-28 12:00"), at("2026-03-29 12:00")),
            120
        );
    }

    #[test]
    fn hours_parse_and_refuse() {
        let h = WorkingHours::parse("hours", " 08:30-17:15 ").unwrap();
        assert_eq!(
            (h.start, h.end, h.to_text()),
            (510, 1035, "08:30-17:15".into())
        );
        assert_eq!(
            WorkingHours::parse("hours", "00:00-24:00")
                .unwrap()
                .minutes(),
            1440
        );
        for bad in ["18:00-09:00", "9-18", "09:00-24:30", "09:60-10:00", ""] {
            assert!(WorkingHours::parse("hours", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_calendar_without_working_days_gives_a_far_due_date() {
        let cal = BusinessCalendar {
            zone: Tz::UTC,
            week: [None; 7],
            holidays: Vec::new(),
        };
        assert!(cal.add_minutes(at("2026-12-07 10:00"), 60) > at("2029-01-01 00:00"));
    }
}
