//! A person's own settings of the interface: the time zone times are shown in, the language,
//! and the ticket list's last filters. They belong to the account, so they follow the person
//! from one browser to the next.

use std::fmt;

use crate::FieldError;

/// A zone of the IANA time-zone database ("Europe/Moscow"). Offsets are not zones: a zone
/// knows its daylight-saving history, an offset does not.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub const UTC: TimeZone = TimeZone(chrono_tz::Tz::UTC);

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(TimeZone)
            .map_err(|_| FieldError::new("time_zone", "value_error", "Unknown time zone"))
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }
}

impl fmt::Debug for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The languages the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Ru,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::En => "en",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "ru" => Ok(Language::Ru),
            "en" => Ok(Language::En),
            _ => Err(FieldError::new(
                "language",
                "value_error",
                "Language should be ru or en",
            )),
        }
    }
}

/// The saved filters of the ticket list: a URL query the interface wrote, kept as it is.
pub const MAX_FILTERS_LEN: usize = 500;

/// What an account has chosen; `None` is "not chosen yet" (the interface then uses the
/// browser's zone and language).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    pub time_zone: Option<TimeZone>,
    pub language: Option<Language>,
    pub ticket_filters: Option<String>,
}

/// A change of some preferences; `None` leaves one as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferencesChange {
    pub time_zone: Option<TimeZone>,
    pub language: Option<Language>,
    pub ticket_filters: Option<String>,
    /// The zone was reported by the browser, not chosen by the person: no settings change
    /// worth an audit row (else every first sign-in wrote two).
    pub learnt: bool,
}

impl PreferencesChange {
    /// Validates the saved filters' length (the only free-form value).
    pub fn with_filters(mut self, filters: &str) -> Result<Self, FieldError> {
        if filters.len() > MAX_FILTERS_LEN || filters.chars().any(char::is_control) {
            return Err(FieldError::new(
                "ticket_filters",
                "value_error",
                "Filters are too long",
            ));
        }
        self.ticket_filters = Some(filters.to_string());
        Ok(self)
    }

    /// `current` with this change applied, or `None` when it changes nothing.
    pub fn apply_to(&self, current: &Preferences) -> Option<Preferences> {
        let next = Preferences {
            time_zone: self.time_zone.or(current.time_zone),
            language: self.language.or(current.language),
            ticket_filters: self
                .ticket_filters
                .clone()
                .or_else(|| current.ticket_filters.clone()),
        };
        (next != *current).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_come_from_the_database_not_offsets() {
        assert_eq!(
            TimeZone::parse("Europe/Moscow").map(TimeZone::name),
            Ok("Europe/Moscow")
        );
        assert!(TimeZone::parse("+03:00").is_err());
        assert!(TimeZone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn a_change_that_changes_nothing_is_none() {
        let current = Preferences {
            time_zone: Some(TimeZone::UTC),
            ..Preferences::default()
        };
        let same = PreferencesChange {
            time_zone: Some(TimeZone::UTC),
            ..PreferencesChange::default()
        };
        assert_eq!(same.apply_to(&current), None);
        let other = PreferencesChange {
            language: Some(Language::En),
            ..PreferencesChange::default()
        };
        let next = other.apply_to(&current).expect("a change");
        assert_eq!(next.time_zone, Some(TimeZone::UTC));
        assert_eq!(next.language, Some(Language::En));
        assert!(
            PreferencesChange::default()
                .with_filters(&"x".repeat(MAX_FILTERS_LEN + 1))
                .is_err()
        );
    }
}
