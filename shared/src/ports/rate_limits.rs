//! The counters behind the limits on routes that text (`domain::limits`).
use super::StoreError;
use crate::domain::limits::Quota;

pub trait RateLimitStore {
    /// Counts one against every quota at once, or against none when any is used up;
    /// then gives the index of a used-up quota.
    async fn take_quotas(&self, quotas: &[Quota]) -> Result<Option<usize>, StoreError>;
}
