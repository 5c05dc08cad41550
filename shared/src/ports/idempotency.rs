//! The remembered outcomes of creating requests (`domain::idempotency`).
use super::StoreError;

/// The remembered outcome of a creating request, written with the object it created.
#[derive(Clone, Debug, PartialEq)]
pub struct IdempotencyRecord {
    pub scope_key: String,
    pub fingerprint: String,
    pub result: serde_json::Value,
    /// Unix seconds; the table's TTL removes the record after this.
    pub expires_at: i64,
}

pub trait IdempotencyStore {
    async fn find_idempotency_record(
        &self,
        scope_key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;
}
