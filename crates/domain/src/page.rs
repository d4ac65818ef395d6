//! Offset pagination as the old API offered it (`skip`, `limit`).

/// A window into a list. The old service let a negative `limit` mean "everything"; fixdesk
/// caps every page so one request can never read a whole table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: u64,
}

impl Page {
    /// The largest page any list returns.
    pub const MAX_LIMIT: u64 = 1000;
    pub const DEFAULT_LIMIT: u64 = 100;

    /// Builds a page from the raw query values: negative offsets count as 0, a negative limit
    /// (the old "no limit") and anything above the cap become the cap.
    pub fn new(skip: i64, limit: i64) -> Self {
        let offset = u64::try_from(skip).unwrap_or(0);
        let limit = match u64::try_from(limit) {
            Ok(l) => l.min(Self::MAX_LIMIT),
            Err(_) => Self::MAX_LIMIT,
        };
        Self { offset, limit }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_limit_is_capped_not_unbounded() {
        assert_eq!(Page::new(0, -1).limit, Page::MAX_LIMIT);
        assert_eq!(
            Page::new(-5, 10),
            Page {
                offset: 0,
                limit: 10
            }
        );
        assert_eq!(Page::new(3, 5000).limit, Page::MAX_LIMIT);
    }
}
