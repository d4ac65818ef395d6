//! Preventive maintenance: a schedule services one item, or every item of a category, every N
//! days, weeks or months from a first date, with a checklist. Its due dates are a fixed series
//! (a late service does not shift the ones after it). A maintenance ticket opens `lead_days`
//! before a due date; completing (closing) it records the maintenance, and the next due date is
//! the series' next.
//!
//! After downtime the sweep opens one ticket for the latest due date that has come, not one per
//! missed date: a backlog of identical tickets helps nobody.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::{
    CategoryId, Description, DomainError, Equipment, EquipmentId, FieldError, NewTicket, Priority,
    RoomNumber, Title, UserId,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScheduleId(pub i64);

/// How far apart a schedule's due dates are, or on which dates of every year they fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Weeks(u32),
    Months(u32),
    /// The same calendar dates every year (a heating check on 15 September, say).
    Dates(YearDays),
}

/// Days of the year, month and day (29 February is not one: it is not in every year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearDays([u32; 12]);

impl YearDays {
    /// `MM-DD` each, at least one and at most 24.
    pub fn parse(list: &[String]) -> Result<Self, FieldError> {
        let wrong = || {
            FieldError::new(
                "dates",
                "value_error",
                "One to 24 dates of the year as MM-DD (not 02-29)",
            )
        };
        let mut days = [0u32; 12];
        let list: Vec<&str> = list
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if list.is_empty() || list.len() > 24 {
            return Err(wrong());
        }
        for raw in list {
            // A year that is not a leap year: every date of it comes back every year.
            let d = NaiveDate::parse_from_str(&format!("2025-{raw}"), "%Y-%m-%d")
                .map_err(|_| wrong())?;
            days[d.month0() as usize] |= 1 << d.day();
        }
        Ok(Self(days))
    }

    /// The dates as `MM-DD`, in the year's order.
    pub fn to_list(self) -> Vec<String> {
        let mut out = Vec::new();
        for (m, bits) in self.0.iter().enumerate() {
            for d in 1..=31 {
                if bits & (1 << d) != 0 {
                    out.push(format!("{:02}-{d:02}", m + 1));
                }
            }
        }
        out
    }

    fn contains(self, day: NaiveDate) -> bool {
        self.0[day.month0() as usize] & (1 << day.day()) != 0
    }
}

impl Period {
    /// `unit`: `days`, `weeks` or `months`; `n`: 1–366.
    pub fn parse(unit: &str, n: i64) -> Result<Self, FieldError> {
        let n = u32::try_from(n)
            .ok()
            .filter(|n| (1..=366).contains(n))
            .ok_or_else(|| FieldError::new("every", "value_error", "Every 1 to 366 units"))?;
        match unit {
            "days" => Ok(Period::Days(n)),
            "weeks" => Ok(Period::Weeks(n)),
            "months" => Ok(Period::Months(n)),
            _ => Err(FieldError::new(
                "unit",
                "enum",
                "Input should be 'days', 'weeks' or 'months'",
            )),
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Period::Days(_) => "days",
            Period::Weeks(_) => "weeks",
            Period::Months(_) => "months",
            Period::Dates(_) => "dates",
        }
    }

    pub fn count(self) -> u32 {
        match self {
            Period::Days(n) | Period::Weeks(n) | Period::Months(n) => n,
            Period::Dates(_) => 0,
        }
    }

    /// The `k`-th date of the series from `start` (the 0th is `start`). Months keep the day of
    /// the month where they can (31 January, monthly: 28/29 February, 31 March, …).
    pub fn nth(self, start: NaiveDate, k: u32) -> Option<NaiveDate> {
        match self {
            Period::Days(n) => start.checked_add_days(Days::new(u64::from(n) * u64::from(k))),
            Period::Weeks(n) => start.checked_add_days(Days::new(7 * u64::from(n) * u64::from(k))),
            Period::Months(n) => start.checked_add_months(Months::new(n.checked_mul(k)?)),
            Period::Dates(_) => None,
        }
    }

    /// Which date of the series from `start` is the latest on or before `day`.
    fn index_on_or_before(self, start: NaiveDate, day: NaiveDate) -> Option<u32> {
        if day < start {
            return None;
        }
        // A guess from the average length, then steps either way to the exact one.
        let days = (day - start).num_days() as f64;
        let length = match self {
            Period::Days(n) => f64::from(n),
            Period::Weeks(n) => 7.0 * f64::from(n),
            Period::Months(n) => 30.436_875 * f64::from(n),
            Period::Dates(_) => return None,
        };
        let mut k = (days / length) as u32;
        while k > 0 && self.nth(start, k).is_none_or(|d| d > day) {
            k -= 1;
        }
        while self.nth(start, k + 1).is_some_and(|d| d <= day) {
            k += 1;
        }
        Some(k)
    }

    /// The latest date of the series on or before `day` (none before `start`).
    pub fn last_on_or_before(self, start: NaiveDate, day: NaiveDate) -> Option<NaiveDate> {
        if let Period::Dates(dates) = self {
            // Every year holds one of the dates: at most a year back.
            return day
                .iter_days()
                .rev()
                .take(367)
                .take_while(|d| *d >= start)
                .find(|d| dates.contains(*d));
        }
        self.nth(start, self.index_on_or_before(start, day)?)
    }

    /// The first date of the series after `day` (`start` itself when `day` is before it).
    pub fn first_after(self, start: NaiveDate, day: NaiveDate) -> Option<NaiveDate> {
        if let Period::Dates(dates) = self {
            let from = start.max(day.succ_opt()?);
            return from.iter_days().take(367).find(|d| dates.contains(*d));
        }
        match self.index_on_or_before(start, day) {
            None => Some(start),
            Some(k) => self.nth(start, k + 1),
        }
    }
}

/// A preventive maintenance schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub id: ScheduleId,
    pub title: String,
    /// One item, or (when `None`) every live item of `category_id`.
    pub equipment_id: Option<EquipmentId>,
    pub category_id: Option<CategoryId>,
    pub checklist: Vec<String>,
    pub period: Period,
    pub starts_on: NaiveDate,
    /// Days before a due date its ticket opens.
    pub lead_days: u32,
    pub enabled: bool,
    /// Who files its tickets (the admin who made it).
    pub created_by: UserId,
}

impl Schedule {
    /// The due date a ticket should be open for on `today`: the latest one whose lead time has
    /// begun.
    pub fn due_to_open(&self, today: NaiveDate) -> Option<NaiveDate> {
        let horizon = today.checked_add_days(Days::new(u64::from(self.lead_days)))?;
        self.period.last_on_or_before(self.starts_on, horizon)
    }

    /// The next due date after `done` (the last serviced due date), or the first.
    pub fn next_due(&self, done: Option<NaiveDate>) -> Option<NaiveDate> {
        match done {
            Some(d) => self.period.first_after(self.starts_on, d),
            // The series' first date: the start itself, or for dates of the year the first of
            // them on or after it.
            None => self
                .period
                .first_after(self.starts_on, self.starts_on.pred_opt()?),
        }
    }

    /// The text of its tickets: the title, then the checklist as boxes to tick.
    pub fn ticket_text(&self, due: NaiveDate) -> String {
        let mut text = format!("Плановое обслуживание до {due}: {}", self.title);
        for item in &self.checklist {
            text.push('\n');
            text.push_str(BOX);
            text.push_str(item);
        }
        text
    }

    /// The maintenance ticket for `item` due on `due`: in the item's category and room (or
    /// "—" where it has none), at low priority.
    pub fn ticket_for(&self, item: &Equipment, due: NaiveDate) -> Result<NewTicket, DomainError> {
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let room = item
            .location
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map_or_else(|| "—".to_string(), |l| cut(l, 20));
        Ok(NewTicket {
            title: Title::parse(&cut(&format!("ТО: {} — {}", self.title, item.name), 100))?,
            description: Description::parse(&cut(&self.ticket_text(due), 10_000))?,
            room_number: RoomNumber::parse(&room)?,
            priority: Priority::Low,
            category_id: item.category_id,
            equipment_id: Some(item.id),
        })
    }
}

/// A schedule as an admin writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleDraft {
    pub title: String,
    pub equipment_id: Option<EquipmentId>,
    pub category_id: Option<CategoryId>,
    pub checklist: Vec<String>,
    pub period: Period,
    pub starts_on: NaiveDate,
    pub lead_days: u32,
    pub enabled: bool,
}

impl ScheduleDraft {
    /// A title of 1–100 characters, exactly one of an item and a category, a checklist of at
    /// most 50 lines of at most 200 characters, a start in 2000–2100, a lead time of at most a
    /// year.
    pub fn checked(mut self) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        match crate::text::line("title", &self.title, 1, 100) {
            Ok(t) => self.title = t,
            Err(e) => errors.push(e),
        }
        if self.equipment_id.is_some() == self.category_id.is_some() {
            errors.push(FieldError::new(
                "equipment_id",
                "value_error",
                "A schedule is for one item or for one category",
            ));
        }
        self.checklist = self
            .checklist
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if self.checklist.len() > 50 || self.checklist.iter().any(|l| l.chars().count() > 200) {
            errors.push(FieldError::new(
                "checklist",
                "value_error",
                "At most 50 lines of at most 200 characters",
            ));
        }
        // A start before 2000 or after 2100 is a typo (the year −1 was taken before).
        if !(2000..=2100).contains(&self.starts_on.year()) {
            errors.push(FieldError::new(
                "starts_on",
                "value_error",
                "A start date between the years 2000 and 2100",
            ));
        }
        if self.lead_days > 366 {
            errors.push(FieldError::new(
                "lead_days",
                "value_error",
                "At most 366 days ahead",
            ));
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

/// A box to tick in a ticket's text, and the same box ticked.
const BOX: &str = "☐ ";
const TICKED: &str = "☑ ";

/// One line of a ticket's text as its page shows it: text, or a box of a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextLine<'a> {
    Text(&'a str),
    /// `line`: its index among the text's lines (what a tick names).
    Check {
        line: usize,
        done: bool,
        item: &'a str,
    },
}

/// A ticket's text line by line, its checklist boxes told apart.
pub fn text_lines(text: &str) -> Vec<TextLine<'_>> {
    text.split('\n')
        .enumerate()
        .map(
            |(line, l)| match (l.strip_prefix(BOX), l.strip_prefix(TICKED)) {
                (Some(item), _) => TextLine::Check {
                    line,
                    done: false,
                    item,
                },
                (_, Some(item)) => TextLine::Check {
                    line,
                    done: true,
                    item,
                },
                _ => TextLine::Text(l),
            },
        )
        .collect()
}

/// `text` with the box on line `line` ticked (`done`) or cleared; `None` when that line is no
/// box. Setting a state rather than flipping it makes a tick sent twice change nothing more.
pub fn tick(text: &str, line: usize, done: bool) -> Option<String> {
    let lines = text_lines(text);
    let TextLine::Check { item, .. } = lines.get(line)? else {
        return None;
    };
    let ticked = format!("{}{item}", if done { TICKED } else { BOX });
    let written: Vec<&str> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| if i == line { ticked.as_str() } else { l })
        .collect();
    Some(written.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn series_of_days_weeks_and_months() {
        let start = day("2026-01-31");
        assert_eq!(Period::Days(10).nth(start, 3), Some(day("2026-03-02")));
        assert_eq!(Period::Weeks(2).nth(start, 1), Some(day("2026-02-14")));
        // Month ends clamp, and each date is counted from the start, not from the last.
        assert_eq!(Period::Months(1).nth(start, 1), Some(day("2026-02-28")));
        assert_eq!(Period::Months(1).nth(start, 2), Some(day("2026-03-31")));
        assert_eq!(
            Period::Months(3).last_on_or_before(start, day("2026-12-30")),
            Some(day("2026-10-31"))
        );
        assert_eq!(
            Period::Months(3).last_on_or_before(start, day("2026-10-31")),
            Some(day("2026-10-31"))
        );
        assert_eq!(
            Period::Days(7).last_on_or_before(start, day("2026-01-30")),
            None
        );
        assert_eq!(
            Period::Months(1).first_after(start, day("2026-02-28")),
            Some(day("2026-03-31"))
        );
        assert_eq!(
            Period::Days(10).first_after(start, day("2026-01-01")),
            Some(start)
        );
    }

    fn schedule(lead: u32) -> Schedule {
        Schedule {
            id: ScheduleId(1),
            title: "Чистка".into(),
            equipment_id: Some(EquipmentId(1)),
            category_id: None,
            checklist: vec!["Продуть".into()],
            period: Period::Weeks(1),
            starts_on: day("2026-03-02"),
            lead_days: lead,
            enabled: true,
            created_by: UserId(1),
        }
    }

    #[test]
    fn yearly_dates_come_back_every_year() {
        let dates = YearDays::parse(&["09-15".into(), " 03-01".into()]).unwrap();
        assert_eq!(dates.to_list(), ["03-01", "09-15"]);
        let p = Period::Dates(dates);
        let start = day("2026-04-01");
        assert_eq!(p.last_on_or_before(start, day("2026-09-14")), None);
        assert_eq!(
            p.last_on_or_before(start, day("2027-02-28")),
            Some(day("2026-09-15"))
        );
        assert_eq!(
            p.first_after(start, day("2026-09-15")),
            Some(day("2027-03-01"))
        );
        assert_eq!(
            p.first_after(start, day("2026-01-01")),
            Some(day("2026-09-15"))
        );
        for bad in [vec![], vec!["02-29".to_string()], vec!["13-01".to_string()]] {
            assert!(YearDays::parse(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_ticket_opens_ahead_and_after_downtime_only_for_the_latest_date() {
        let s = schedule(2);
        assert_eq!(s.due_to_open(day("2026-02-27")), None);
        assert_eq!(s.due_to_open(day("2026-02-28")), Some(day("2026-03-02")));
        assert_eq!(s.due_to_open(day("2026-03-06")), Some(day("2026-03-02")));
        assert_eq!(s.due_to_open(day("2026-03-07")), Some(day("2026-03-09")));
        // A month down: one ticket, for the date whose lead time runs now.
        assert_eq!(s.due_to_open(day("2026-04-04")), Some(day("2026-04-06")));
        assert_eq!(s.next_due(Some(day("2026-03-02"))), Some(day("2026-03-09")));
        assert_eq!(s.next_due(None), Some(day("2026-03-02")));
        let text = s.ticket_text(day("2026-03-02"));
        assert!(text.contains("☐ Продуть"));
        // Ticking a box keeps the rest; a line that is no box is refused; twice is once.
        let ticked = tick(&text, 1, true).unwrap();
        assert!(ticked.contains("☑ Продуть"));
        assert_eq!(tick(&ticked, 1, true).unwrap(), ticked);
        assert_eq!(tick(&ticked, 0, true), None);
        assert_eq!(tick(&ticked, 99, true), None);
        assert_eq!(tick(&ticked, 1, false).unwrap(), text);
        assert!(matches!(
            text_lines(&ticked)[1],
            TextLine::Check {
                line: 1,
                done: true,
                item: "Продуть"
            }
        ));
    }

    #[test]
    fn drafts_name_one_target_and_sane_bounds() {
        let draft = ScheduleDraft {
            title: " Чистка ".into(),
            equipment_id: None,
            category_id: None,
            checklist: vec![" ".into(), "Продуть".into()],
            period: Period::Days(1),
            starts_on: day("2026-01-01"),
            lead_days: 3,
            enabled: true,
        };
        assert!(draft.clone().checked().is_err());
        let ok = ScheduleDraft {
            category_id: Some(CategoryId(1)),
            ..draft
        }
        .checked()
        .unwrap();
        assert_eq!(ok.title, "Чистка");
        assert_eq!(ok.checklist, vec!["Продуть".to_string()]);
        for year in [-1, 1999, 2101] {
            let far = ScheduleDraft {
                starts_on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
                ..ok.clone()
            };
            assert!(far.checked().is_err(), "{year}");
        }
        assert!(Period::parse("fortnights", 1).is_err());
        assert!(Period::parse("days", 0).is_err());
    }
}
