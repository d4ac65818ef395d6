//! Money: an exact amount in minor units (cents, kopecks) with its ISO 4217 currency code.
//! Never a float: costs are summed over years of records.

use std::fmt;

use crate::FieldError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// Hundredths of the currency's unit.
    pub minor: i64,
    /// Three capital letters (`EUR`, `RUB`).
    pub currency: String,
}

impl Money {
    /// `amount`: a non-negative decimal with at most two decimals (`1234.5`, `1234,50`);
    /// `currency`: three letters, any case.
    pub fn parse(amount: &str, currency: &str) -> Result<Self, FieldError> {
        let wrong = || {
            FieldError::new(
                "cost",
                "value_error",
                "A cost is an amount like 1250.50 (at most two decimals, not negative)",
            )
        };
        let amount = amount.trim().replace(',', ".");
        let (whole, fraction) = amount.split_once('.').unwrap_or((&amount, ""));
        if whole.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || fraction.len() > 2
            || !fraction.chars().all(|c| c.is_ascii_digit())
        {
            return Err(wrong());
        }
        let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| wrong())?;
        let minor = whole
            .parse::<i64>()
            .ok()
            .and_then(|w| w.checked_mul(100))
            .and_then(|w| w.checked_add(cents))
            .ok_or_else(wrong)?;
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(FieldError::new(
                "currency",
                "value_error",
                "A currency is a three-letter code such as EUR or RUB",
            ));
        }
        Ok(Money { minor, currency })
    }

    /// The amount as written back: `1250.50`.
    pub fn amount(&self) -> String {
        format!("{}.{:02}", self.minor / 100, self.minor % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        let m = Money::parse("1250,5", "rub").unwrap();
        assert_eq!((m.minor, m.currency.as_str()), (125_050, "RUB"));
        assert_eq!(m.to_string(), "1250.50 RUB");
        assert_eq!(Money::parse("0.07", "EUR").unwrap().minor, 7);
        assert_eq!(Money::parse("3", "EUR").unwrap().amount(), "3.00");
        for bad in [
            "",
            "-1",
            "1.005",
            "1e3",
            "12.3.4",
            "abc",
            "99999999999999999999",
        ] {
            assert!(Money::parse(bad, "EUR").is_err(), "{bad}");
        }
        assert!(Money::parse("1", "EURO").is_err());
    }
}
