//! A ticket's service-level clocks: what is stored on the ticket (due times, pauses, which
//! warnings went out) and how it reads at a given moment.
//!
//! Both clocks start when the ticket is filed. First response stops at the first staff
//! message; resolution stops at close and runs again on reopening. While the ticket waits on
//! its requester, or is closed, the clocks are paused: the working minutes of a pause move the
//! due times later. Due times are kept on the ticket, so lists sort and filter by them through
//! an index, and recomputed only when a pause ends or the policy changes.

use chrono::NaiveDateTime;

use super::{BusinessCalendar, PolicyId, SlaPolicy};

/// Share of a target after which the people on the ticket are warned, in percent.
pub const WARN_AT_PERCENT: i64 = 80;

/// Which notices about a ticket's clocks have gone out (each exactly once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaStage(pub i16);

impl SlaStage {
    pub const RESPONSE_WARNED: i16 = 1;
    pub const RESPONSE_BREACHED: i16 = 2;
    pub const RESOLUTION_WARNED: i16 = 4;
    pub const RESOLUTION_BREACHED: i16 = 8;

    pub fn has(self, bit: i16) -> bool {
        self.0 & bit != 0
    }

    pub fn with(self, bit: i16) -> Self {
        Self(self.0 | bit)
    }
}

/// The clocks as stored on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSla {
    pub policy_id: PolicyId,
    pub filed_at: NaiveDateTime,
    pub first_response_due_at: NaiveDateTime,
    pub first_responded_at: Option<NaiveDateTime>,
    pub resolution_due_at: NaiveDateTime,
    /// When the running pause began (waiting on the requester, or closed).
    pub paused_since: Option<NaiveDateTime>,
    /// Working minutes of the pauses that have ended.
    pub paused_minutes: i64,
    pub stage: SlaStage,
}

/// Something the clocks say must happen now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaEvent {
    ResponseWarning,
    ResponseBreached,
    ResolutionWarning,
    ResolutionBreached,
}

impl SlaEvent {
    pub fn stage_bit(self) -> i16 {
        match self {
            SlaEvent::ResponseWarning => SlaStage::RESPONSE_WARNED,
            SlaEvent::ResponseBreached => SlaStage::RESPONSE_BREACHED,
            SlaEvent::ResolutionWarning => SlaStage::RESOLUTION_WARNED,
            SlaEvent::ResolutionBreached => SlaStage::RESOLUTION_BREACHED,
        }
    }

    pub fn is_breach(self) -> bool {
        matches!(
            self,
            SlaEvent::ResponseBreached | SlaEvent::ResolutionBreached
        )
    }

    /// The notification kind it is told as.
    pub fn kind(self) -> crate::NotificationKind {
        if self.is_breach() {
            crate::NotificationKind::SlaBreached
        } else {
            crate::NotificationKind::SlaWarning
        }
    }

    /// What it says about ticket `ticket`, in `lang`: the notice's title and the audit row's
    /// description (stored in Russian, as the old API stored its sentences).
    pub fn describe(self, lang: crate::Language, ticket: i64) -> String {
        let (ru, en) = match self {
            SlaEvent::ResponseWarning => (
                "Заявка #{}: скоро срок первого ответа",
                "Ticket #{}: the first response is nearly due",
            ),
            SlaEvent::ResponseBreached => (
                "Заявка #{}: срок первого ответа нарушен",
                "Ticket #{}: the first response is overdue",
            ),
            SlaEvent::ResolutionWarning => (
                "Заявка #{}: скоро срок решения",
                "Ticket #{}: the resolution is nearly due",
            ),
            SlaEvent::ResolutionBreached => (
                "Заявка #{}: срок решения нарушен",
                "Ticket #{}: the resolution is overdue",
            ),
        };
        let pattern = match lang {
            crate::Language::Ru => ru,
            crate::Language::En => en,
        };
        pattern.replace("{}", &ticket.to_string())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SlaEvent::ResponseWarning => "first_response_warning",
            SlaEvent::ResponseBreached => "first_response_breached",
            SlaEvent::ResolutionWarning => "resolution_warning",
            SlaEvent::ResolutionBreached => "resolution_breached",
        }
    }
}

/// One clock read at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockReading {
    pub target_minutes: i64,
    pub due_at: NaiveDateTime,
    /// When the clock stopped (answered, or closed); `None` while it runs.
    pub stopped_at: Option<NaiveDateTime>,
    /// Working minutes left until due (negative: overdue by that many). For a stopped clock,
    /// the margin it stopped with.
    pub remaining_minutes: i64,
    /// Share of the target used, in percent (100 and more: breached).
    pub used_percent: i64,
    pub breached: bool,
}

/// Both clocks of a ticket read at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaReading {
    pub policy_id: PolicyId,
    pub first_response: ClockReading,
    pub resolution: ClockReading,
    pub paused: bool,
    /// What explains the due times: the clocks started at filing, ran in the working time of
    /// the policy's calendar, and stood still for this many working minutes (pauses that
    /// ended; a running pause is `paused`).
    pub filed_at: NaiveDateTime,
    pub paused_minutes: i64,
    pub calendar_id: super::CalendarId,
}

impl TicketSla {
    /// Fresh clocks for a ticket filed at `filed_at` under `policy`.
    pub fn start(policy: &SlaPolicy, calendar: &BusinessCalendar, filed_at: NaiveDateTime) -> Self {
        let mut sla = Self {
            policy_id: policy.id,
            filed_at,
            first_response_due_at: filed_at,
            first_responded_at: None,
            resolution_due_at: filed_at,
            paused_since: None,
            paused_minutes: 0,
            stage: SlaStage::default(),
        };
        sla.reschedule(policy, calendar);
        sla
    }

    /// The same clocks under another policy (the ticket's category or priority changed):
    /// targets counted again from filing, pauses kept, warnings not yet due forgotten.
    pub fn under(&self, policy: &SlaPolicy, calendar: &BusinessCalendar) -> Self {
        let mut sla = Self {
            policy_id: policy.id,
            ..self.clone()
        };
        sla.reschedule(policy, calendar);
        sla
    }

    fn reschedule(&mut self, policy: &SlaPolicy, calendar: &BusinessCalendar) {
        let due = |target: i64| calendar.add_minutes(self.filed_at, target + self.paused_minutes);
        if self.first_responded_at.is_none() {
            self.first_response_due_at = due(policy.first_response_minutes);
        }
        self.resolution_due_at = due(policy.resolution_minutes);
    }

    /// Stops the first-response clock (a staff member wrote); no change once stopped.
    pub fn responded(&self, at: NaiveDateTime) -> Option<Self> {
        self.first_responded_at.is_none().then(|| Self {
            first_responded_at: Some(at),
            ..self.clone()
        })
    }

    /// Starts a pause at `at`; no change while one runs.
    pub fn pause(&self, at: NaiveDateTime) -> Option<Self> {
        self.paused_since.is_none().then(|| Self {
            paused_since: Some(at),
            ..self.clone()
        })
    }

    /// Ends the running pause at `at`: its working minutes move the running clocks' due times.
    pub fn resume(
        &self,
        policy: &SlaPolicy,
        calendar: &BusinessCalendar,
        at: NaiveDateTime,
    ) -> Option<Self> {
        let since = self.paused_since?;
        let mut sla = Self {
            paused_since: None,
            paused_minutes: self.paused_minutes + calendar.minutes_between(since, at).max(0),
            ..self.clone()
        };
        sla.reschedule(policy, calendar);
        Some(sla)
    }

    /// The instant a warning or breach is next due, for the sweep to look then (none while
    /// paused or once everything has gone out).
    pub fn next_check(
        &self,
        policy: &SlaPolicy,
        calendar: &BusinessCalendar,
    ) -> Option<NaiveDateTime> {
        if self.paused_since.is_some() {
            return None;
        }
        self.pending(policy, calendar).map(|(at, _)| at).min()
    }

    /// The events due by `now`, in order, that have not gone out yet.
    pub fn due_events(
        &self,
        policy: &SlaPolicy,
        calendar: &BusinessCalendar,
        now: NaiveDateTime,
    ) -> Vec<SlaEvent> {
        if self.paused_since.is_some() {
            return Vec::new();
        }
        let mut due: Vec<(NaiveDateTime, SlaEvent)> = self
            .pending(policy, calendar)
            .filter(|(at, _)| *at <= now)
            .collect();
        due.sort_by_key(|(at, _)| *at);
        due.into_iter().map(|(_, e)| e).collect()
    }

    fn pending(
        &self,
        policy: &SlaPolicy,
        calendar: &BusinessCalendar,
    ) -> impl Iterator<Item = (NaiveDateTime, SlaEvent)> {
        let warn = |target: i64| {
            calendar.add_minutes(
                self.filed_at,
                target * WARN_AT_PERCENT / 100 + self.paused_minutes,
            )
        };
        let response = self.first_responded_at.is_none();
        [
            (
                response,
                warn(policy.first_response_minutes),
                SlaEvent::ResponseWarning,
            ),
            (
                response,
                self.first_response_due_at,
                SlaEvent::ResponseBreached,
            ),
            (
                true,
                warn(policy.resolution_minutes),
                SlaEvent::ResolutionWarning,
            ),
            (true, self.resolution_due_at, SlaEvent::ResolutionBreached),
        ]
        .into_iter()
        .filter(|(running, _, e)| *running && !self.stage.has(e.stage_bit()))
        .map(|(_, at, e)| (at, e))
    }

    /// The clocks once `events` have gone out.
    pub fn marked(&self, events: &[SlaEvent]) -> Self {
        Self {
            stage: events.iter().fold(self.stage, |s, e| s.with(e.stage_bit())),
            ..self.clone()
        }
    }

    /// The clocks as they read at `now`, for a ticket closed at `closed_at` (if it is): closing
    /// stops the resolution clock then, and the first-response clock too if nobody had
    /// answered (closing is the answer). A closed ticket's clocks are stopped, not paused.
    pub fn read(
        &self,
        policy: &SlaPolicy,
        calendar: &BusinessCalendar,
        now: NaiveDateTime,
        closed_at: Option<NaiveDateTime>,
    ) -> SlaReading {
        let clock = |target: i64, due_at: NaiveDateTime, stopped_at: Option<NaiveDateTime>| {
            let at = stopped_at.or(self.paused_since).unwrap_or(now);
            let breached = at > due_at;
            // A broken target is late by at least a minute, not "by 0" for its first seconds.
            let remaining = match calendar.minutes_between(at, due_at) {
                m if breached => m.min(-1),
                m => m,
            };
            let used_percent = if target > 0 {
                (target - remaining) * 100 / target
            } else {
                100
            };
            ClockReading {
                target_minutes: target,
                due_at,
                stopped_at,
                remaining_minutes: remaining,
                used_percent,
                breached,
            }
        };
        // A paused clock stands at its pause.
        SlaReading {
            policy_id: self.policy_id,
            first_response: clock(
                policy.first_response_minutes,
                self.first_response_due_at,
                self.first_responded_at.or(closed_at),
            ),
            resolution: clock(policy.resolution_minutes, self.resolution_due_at, closed_at),
            paused: self.paused_since.is_some() && closed_at.is_none(),
            filed_at: self.filed_at,
            paused_minutes: self.paused_minutes,
            calendar_id: policy.calendar_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::{CalendarId, Escalation, WorkingHours};
    use chrono_tz::Tz;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn each_event_is_told_in_both_languages_with_its_ticket_and_kind() {
        use crate::{Language, NotificationKind};
        let all = [
            SlaEvent::ResponseWarning,
            SlaEvent::ResponseBreached,
            SlaEvent::ResolutionWarning,
            SlaEvent::ResolutionBreached,
        ];
        let mut seen = std::collections::HashSet::new();
        for e in all {
            for lang in [Language::Ru, Language::En] {
                let text = e.describe(lang, 42);
                assert!(text.contains("#42"), "{text}");
                assert!(seen.insert(text), "two events told alike");
            }
            let breach = matches!(e, SlaEvent::ResponseBreached | SlaEvent::ResolutionBreached);
            let expected = if breach {
                NotificationKind::SlaBreached
            } else {
                NotificationKind::SlaWarning
            };
            assert_eq!(e.kind(), expected);
        }
    }

    fn setup() -> (SlaPolicy, BusinessCalendar) {
        let policy = SlaPolicy {
            id: PolicyId(1),
            name: "standard".into(),
            category_id: None,
            priority: None,
            calendar_id: CalendarId(1),
            first_response_minutes: 60,
            resolution_minutes: 240,
            escalation: Escalation::default(),
        };
        let cal = BusinessCalendar::weekdays(
            Tz::UTC,
            WorkingHours::parse("hours", "09:00-18:00").unwrap(),
        );
        (policy, cal)
    }

    #[test]
    fn clocks_start_at_filing_in_working_time() {
        let (p, cal) = setup();
        let sla = TicketSla::start(&p, &cal, at("2026-12-04 17:55"));
        assert_eq!(sla.first_response_due_at, at("2026-12-07 09:55"));
        assert_eq!(sla.resolution_due_at, at("2026-12-07 12:55"));
        let r = sla.read(&p, &cal, at("2026-12-07 09:00"), None);
        assert_eq!(r.first_response.remaining_minutes, 55);
        assert_eq!(r.first_response.used_percent, 8);
        assert!(!r.first_response.breached);
    }

    #[test]
    fn a_pause_moves_due_times_by_its_working_minutes() {
        let (p, cal) = setup();
        let sla = TicketSla::start(&p, &cal, at("2026-12-07 09:00"));
        let paused = sla.pause(at("2026-12-07 10:00")).unwrap();
        assert!(paused.pause(at("2026-12-07 10:30")).is_none());
        // While paused the clock stands still and nothing falls due.
        let r = paused.read(&p, &cal, at("2026-12-07 17:00"), None);
        assert!(r.paused);
        assert_eq!(r.resolution.remaining_minutes, 180);
        assert_eq!(paused.next_check(&p, &cal), None);
        // Paused 10:00 → next day 10:00 is 9 working hours.
        let resumed = paused.resume(&p, &cal, at("2026-12-08 10:00")).unwrap();
        assert_eq!(resumed.paused_minutes, 540);
        assert_eq!(resumed.resolution_due_at, at("2026-12-08 13:00"));
        assert!(resumed.resume(&p, &cal, at("2026-12-08 11:00")).is_none());
    }

    #[test]
    fn closing_stops_the_clocks_it_does_not_pause_them() {
        let (p, cal) = setup();
        let sla = TicketSla::start(&p, &cal, at("2026-12-07 09:00"));
        let answered = sla.responded(at("2026-12-07 09:20")).unwrap();
        let closed = answered.pause(at("2026-12-07 11:00")).unwrap();
        let r = closed.read(
            &p,
            &cal,
            at("2026-12-09 15:00"),
            Some(at("2026-12-07 11:00")),
        );
        assert!(
            !r.paused,
            "a closed ticket's clocks are stopped, not paused"
        );
        assert_eq!(r.resolution.stopped_at, Some(at("2026-12-07 11:00")));
        assert_eq!(r.resolution.remaining_minutes, 120);
        assert!(!r.resolution.breached);
        assert_eq!(r.first_response.stopped_at, Some(at("2026-12-07 09:20")));
        // Closed without an answer: closing answered it.
        let unanswered = sla.pause(at("2026-12-07 12:00")).unwrap();
        let r = unanswered.read(
            &p,
            &cal,
            at("2026-12-09 15:00"),
            Some(at("2026-12-07 12:00")),
        );
        assert_eq!(r.first_response.stopped_at, Some(at("2026-12-07 12:00")));
        assert!(r.first_response.breached, "an hour after its due time");
    }

    #[test]
    fn first_response_stops_at_the_first_answer_and_keeps_its_due_time() {
        let (p, cal) = setup();
        let sla = TicketSla::start(&p, &cal, at("2026-12-07 09:00"));
        let answered = sla.responded(at("2026-12-07 09:20")).unwrap();
        assert!(answered.responded(at("2026-12-07 09:40")).is_none());
        let r = answered.read(&p, &cal, at("2026-12-07 15:00"), None);
        assert_eq!(r.first_response.remaining_minutes, 40);
        assert!(!r.first_response.breached);
        // A later pause does not move an answered clock.
        let resumed = answered
            .pause(at("2026-12-07 10:00"))
            .and_then(|s| s.resume(&p, &cal, at("2026-12-07 11:00")))
            .unwrap();
        assert_eq!(resumed.first_response_due_at, at("2026-12-07 10:00"));
        assert_eq!(resumed.resolution_due_at, at("2026-12-07 14:00"));
    }

    #[test]
    fn warnings_and_breaches_fall_due_once_each_in_order() {
        let (p, cal) = setup();
        let sla = TicketSla::start(&p, &cal, at("2026-12-07 09:00"));
        assert_eq!(sla.next_check(&p, &cal), Some(at("2026-12-07 09:48")));
        assert!(sla.due_events(&p, &cal, at("2026-12-07 09:47")).is_empty());
        assert_eq!(
            sla.due_events(&p, &cal, at("2026-12-07 12:30")),
            vec![
                SlaEvent::ResponseWarning,
                SlaEvent::ResponseBreached,
                SlaEvent::ResolutionWarning
            ]
        );
        let sent = sla.marked(&[
            SlaEvent::ResponseWarning,
            SlaEvent::ResponseBreached,
            SlaEvent::ResolutionWarning,
        ]);
        assert_eq!(sent.next_check(&p, &cal), Some(at("2026-12-07 13:00")));
        let r = sent.read(&p, &cal, at("2026-12-07 14:00"), None);
        assert!(r.resolution.breached);
        assert_eq!(r.resolution.remaining_minutes, -60);
        assert_eq!(r.resolution.used_percent, 125);
        // Seconds past due already read as a minute late.
        let just = at("2026-12-07 13:00") + chrono::Duration::seconds(20);
        let r = sent.read(&p, &cal, just, None);
        assert!(r.resolution.breached);
        assert_eq!(r.resolution.remaining_minutes, -1);
    }

    #[test]
    fn a_new_policy_recounts_from_filing() {
        let (p, cal) = setup();
        let sla = TicketSla::start(&p, &cal, at("2026-12-07 09:00"));
        let faster = SlaPolicy {
            id: PolicyId(2),
            resolution_minutes: 60,
            ..p
        };
        let moved = sla.under(&faster, &cal);
        assert_eq!(moved.policy_id, PolicyId(2));
        assert_eq!(moved.resolution_due_at, at("2026-12-07 10:00"));
    }
}
