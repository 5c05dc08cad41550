//! Requests to platform support.
use super::{IdempotencyRecord, StoreError};
use crate::domain::support::SupportRequest;

/// Requests to platform support, kept as a record.
pub trait SupportStore {
    async fn create_support_request(
        &self,
        request: &SupportRequest,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
}
