use async_trait::async_trait;

use fixdesk_domain::ServiceError;

/// A client's request budget shared by every instance of a deployment, so a rate limit holds
/// for the whole of it. Instances take slices of a window's budget and spend them from
/// memory; only taking a slice touches the shared state.
#[async_trait]
pub trait RateBudget: Send + Sync {
    /// Takes up to `slice` of the `limit` requests `client` may make in the window that began
    /// at `window` (seconds since the epoch); returns how many were granted — fewer than asked
    /// (down to none) once the deployment has handed the budget out.
    async fn take(
        &self,
        client: i64,
        window: i64,
        slice: u64,
        limit: u64,
    ) -> Result<u64, ServiceError>;
}
