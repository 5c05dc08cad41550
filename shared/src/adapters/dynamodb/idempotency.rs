//! Idempotency records: `IDEM#<hash of caller and key>`, removed by the table's TTL.
use super::codec::{get_i64, get_s, n, s};
use super::{DynamoStore, Item};
use crate::ports::{IdempotencyRecord, IdempotencyStore, StoreError};

pub(super) const SK: &str = "IDEM";

pub(super) fn pk(scope_key: &str) -> String {
    format!("IDEM#{scope_key}")
}

pub(super) fn to_item(record: &IdempotencyRecord) -> Item {
    Item::from([
        ("pk".to_owned(), s(pk(&record.scope_key))),
        ("sk".to_owned(), s(SK)),
        ("fingerprint".to_owned(), s(&record.fingerprint)),
        ("result".to_owned(), s(record.result.to_string())),
        ("expires_at".to_owned(), n(record.expires_at)),
    ])
}

impl IdempotencyStore for DynamoStore {
    async fn find_idempotency_record(
        &self,
        scope_key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let Some(item) = self.get(&pk(scope_key), SK).await? else {
            return Ok(None);
        };
        let result = serde_json::from_str(&get_s(&item, "result")?)
            .map_err(|e| StoreError::Corrupt(format!("idempotency result: {e}")))?;
        Ok(Some(IdempotencyRecord {
            scope_key: scope_key.to_owned(),
            fingerprint: get_s(&item, "fingerprint")?,
            result,
            expires_at: get_i64(&item, "expires_at")?,
        }))
    }
}
