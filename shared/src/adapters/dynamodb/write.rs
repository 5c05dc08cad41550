//! Single-item puts and deletes, each with the `Condition` that guards it: the one
//! place a `PutItem` or `DeleteItem` is sent and its refusal by the condition read
//! (single updates: `update.rs`; a transaction's items: `transact.rs`).
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

use super::codec::key;
use super::condition::{guarded, Condition};
use super::{condition_failed, unavailable, DynamoStore, Item};
use crate::ports::StoreError;

impl DynamoStore {
    /// Puts `item`, while `condition` holds when there is one: `Ok(false)` when it did
    /// not, and nothing was written.
    pub(super) async fn put_if(
        &self,
        item: Item,
        condition: Option<Condition>,
    ) -> Result<bool, StoreError> {
        let put = self.client.put_item().table_name(&self.table);
        let put = guarded!(put.set_item(Some(item)), Condition::parts(condition));
        written("PutItem", put.send().await)
    }

    /// Deletes the item at (`pk`, `sk`), while `condition` holds when there is one:
    /// `Ok(false)` when it did not, and the item stays.
    pub(super) async fn delete_if(
        &self,
        (pk, sk): (String, String),
        condition: Option<Condition>,
    ) -> Result<bool, StoreError> {
        let delete = self.client.delete_item().table_name(&self.table);
        let delete = guarded!(
            delete.set_key(Some(key(pk, sk))),
            Condition::parts(condition)
        );
        written("DeleteItem", delete.send().await)
    }
}

/// `Ok(true)` when the write happened, `Ok(false)` when its condition refused it, and
/// an outage otherwise (`update.rs` reads an `UpdateItem`'s answer the same way).
pub(super) fn written<T, E: ProvideErrorMetadata, R>(
    operation: &str,
    result: Result<T, SdkError<E, R>>,
) -> Result<bool, StoreError> {
    match result {
        Ok(_) => Ok(true),
        Err(e) if condition_failed(&e) => Ok(false),
        Err(e) => Err(unavailable(operation, e)),
    }
}
