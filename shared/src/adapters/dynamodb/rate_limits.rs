//! Rate-limit counters (docs/dynamodb.md): `LIMIT#<scope>#<subject hash>#<window start>`
//! / `LIMIT`, with `count` and the table's TTL an hour after the window ends. Every
//! counter of a request is taken in one transaction, each conditional on being under
//! its limit, so parallel requests can never pass a limit and a refused request counts
//! against nothing.
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};

use super::codec::{n, s};
use super::{build_err, DynamoStore, TransactError};
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
        let update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(pk(quota)))
            .key("sk", s(SK))
            .update_expression("ADD #count :one SET expires_at = :ttl, entity = :entity")
            .condition_expression("attribute_not_exists(#count) OR #count < :limit")
            .expression_attribute_names("#count", "count")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":limit", n(i64::from(quota.limit)))
            .expression_attribute_values(":ttl", n(quota.window_end() + 3600))
            .expression_attribute_values(":entity", s("rate_limit"))
            .build()
            .map_err(build_err)?;
        Ok(TransactWriteItem::builder().update(update).build())
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
