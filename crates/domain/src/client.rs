//! Who is on the other end of a request, as the audit log records it.

/// The client address and user agent of the request that caused a change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}
