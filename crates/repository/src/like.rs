//! "Contains, ignoring case" for text searches: the term lower-cased with LIKE's wildcards
//! escaped, so a `%` or `_` typed by someone matches itself. Compare it with a lower-cased
//! column.

use sea_orm::sea_query::LikeExpr;

pub fn contains(term: &str) -> LikeExpr {
    LikeExpr::new(pattern(term)).escape('\\')
}

fn pattern(term: &str) -> String {
    let escaped = term
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_typed_match_themselves() {
        assert_eq!(super::pattern("50%_A"), "%50\\%\\_a%");
    }
}
