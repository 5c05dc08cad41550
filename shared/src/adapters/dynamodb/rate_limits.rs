//! Rate-limit counters (docs/dynamodb.md): `LIMIT#<scope>#<subject hash>#<window start>`
//! / `LIMIT`, with `count` and the table's TTL an hour after the window ends. Every
//! counter of a request is taken in one transaction, each conditional on being under
//! its limit, so parallel requests can never pass a limit and a refused request counts
//! against nothing.
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::codec::{n, s};
use super::transact;
use super::update::ItemUpdate;
use super::{DynamoStore, TransactError};
use crate::domain::limits::Quota;
use crate::ports::{RateLimitStore, StoreError};

const SK: &str = "LIMIT";

fn pk(quota: &Quota) -> String {
    format!(
        "LIMIT#{}#{}#{}",
        quota.scope.as_str(),
        quota.subject,
        quota.window_start
    )
}

impl DynamoStore {
    fn take_update(&self, quota: &Quota) -> Result<TransactWriteItem, StoreError> {
        let update = ItemUpdate::new(
            pk(quota),
            SK,
            "ADD #count :one SET expires_at = :ttl, entity = :entity",
        )
        .condition("attribute_not_exists(#count) OR #count < :limit")
        .name("#count", "count")
        .value(":one", n(1))
        .value(":limit", n(i64::from(quota.limit)))
        .value(":ttl", n(quota.window_end() + 3600))
        .value(":entity", s("rate_limit"));
        transact::update(&self.table, update)
    }
}

impl RateLimitStore for DynamoStore {
    async fn take_quotas(&self, quotas: &[Quota]) -> Result<Option<usize>, StoreError> {
        let items = quotas
            .iter()
            .map(|q| self.take_update(q))
            .collect::<Result<Vec<_>, _>>()?;
        match self.transact_items(items).await {
            Ok(()) => Ok(None),
            // Not reported which: the first is as good an answer as any.
            Err(TransactError::Conditions(failed)) => {
                Ok(Some(failed.first().copied().unwrap_or(0)))
            }
            Err(TransactError::Store(e)) => Err(e),
        }
    }
}
