//! Reading items by key, many at a time (`BatchGetItem`, strongly consistent).
use aws_sdk_dynamodb::types::KeysAndAttributes;
use std::collections::HashMap;

use super::codec::s;
use super::{build_err, unavailable, DynamoStore, Item};
use crate::ports::StoreError;

/// At most this many keys in one `BatchGetItem`.
const BATCH: usize = 100;

impl DynamoStore {
    /// The main table's items with these keys, in the order of `keys` (`None` where
    /// there is none), reading what DynamoDB leaves unprocessed again.
    pub(super) async fn batch_get(
        &self,
        keys: &[(String, String)],
    ) -> Result<Vec<Option<Item>>, StoreError> {
        let mut found: HashMap<(String, String), Item> = HashMap::new();
        for chunk in keys.chunks(BATCH) {
            let mut request = Some(
                KeysAndAttributes::builder()
                    .set_keys(Some(
                        chunk
                            .iter()
                            .map(|(pk, sk)| {
                                HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
                            })
                            .collect(),
                    ))
                    .consistent_read(true)
                    .build()
                    .map_err(build_err)?,
            );
            while let Some(keys) = request.take() {
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, keys)
                    .send()
                    .await
                    .map_err(|e| unavailable("BatchGetItem", e))?;
                for item in out
                    .responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default()
                {
                    let key = |name: &str| {
                        item.get(name)
                            .and_then(|v| v.as_s().ok())
                            .cloned()
                            .unwrap_or_default()
                    };
                    found.insert((key("pk"), key("sk")), item);
                }
                request = out
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(&self.table))
                    .filter(|k| !k.keys().is_empty());
            }
        }
        Ok(keys.iter().map(|key| found.remove(key)).collect())
    }
}
