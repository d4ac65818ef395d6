//! What the service reports about itself for monitoring.

use std::borrow::Cow;

/// One value for `/metrics` (exposed as `fixdesk_<name>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    pub name: Cow<'static, str>,
    pub help: Cow<'static, str>,
    pub value: f64,
}

impl Gauge {
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        help: impl Into<Cow<'static, str>>,
        value: f64,
    ) -> Self {
        Self {
            name: name.into(),
            help: help.into(),
            value,
        }
    }
}
