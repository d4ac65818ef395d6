//! The text fields of a ticket, each of which checks itself.

use crate::{
    FieldError,
    text::{bounded, line},
};

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:expr, $max:expr) => {
        text_value!($(#[$doc])* $name, $field, $min, $max, bounded);
    };
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:expr, $max:expr, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                Ok(Self($check($field, raw, $min, $max)?))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }
    };
}

text_value!(
    /// 1–100 characters on one line, without bidirectional overrides: a title must read as
    /// what it is in every list and mail subject.
    Title, "title", 1, 100, line
);
text_value!(
    /// What is wrong, up to 10,000 characters (may be empty).
    Description, "description", 0, 10_000
);
text_value!(
    /// Where the equipment is: 1–20 characters on one line.
    RoomNumber, "room_number", 1, 20, line
);
text_value!(
    /// How the ticket was resolved, up to 10,000 characters.
    Resolution, "resolution", 0, 10_000
);

impl Resolution {
    /// A resolution as stored (already checked when it was written).
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert!(Title::parse("").is_err());
        assert!(Title::parse(&"t".repeat(100)).is_ok());
        assert!(Title::parse(&"t".repeat(101)).is_err());
        assert!(RoomNumber::parse("101").is_ok());
        assert!(RoomNumber::parse(&"1".repeat(21)).is_err());
        assert!(RoomNumber::parse("  ").is_err());
        assert!(Description::parse("").is_ok());
        assert!(Title::parse("two\nlines").is_err());
        assert!(RoomNumber::parse("2\t14").is_err());
        assert!(Description::parse("two\nlines").is_ok());
    }
}
