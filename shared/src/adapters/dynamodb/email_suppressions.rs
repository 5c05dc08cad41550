//! Suppressed email addresses (docs/dynamodb.md): `EMAILSUPPRESSED#<address>` /
//! `SUPPRESSED`, with `problem` (`bounced` / `complained`), `first_at`, `last_at`. Kept
//! (no TTL): an address that bounced for good does not come back by itself.
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use super::codec::{get_s, s};
use super::{unavailable, DynamoStore};
use crate::domain::messaging::reachability::EmailProblem;
use crate::ports::{EmailSuppressionStore, StoreError};

const SK: &str = "SUPPRESSED";

fn pk(address: &str) -> String {
    format!("EMAILSUPPRESSED#{address}")
}

impl EmailSuppressionStore for DynamoStore {
    async fn suppress_email(
        &self,
        address: &str,
        problem: EmailProblem,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk(address)))
            .key("sk", s(SK))
            .update_expression(
                "SET entity = :entity, address = :address, problem = :problem, \
                 last_at = :at, first_at = if_not_exists(first_at, :at)",
            )
            .expression_attribute_values(":entity", s("email_suppression"))
            .expression_attribute_values(":address", s(address))
            .expression_attribute_values(":problem", s(problem.as_str()))
            .expression_attribute_values(":at", s(at.to_rfc3339()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| unavailable("UpdateItem", e))
    }

    async fn email_problems(
        &self,
        addresses: &[String],
    ) -> Result<HashMap<String, EmailProblem>, StoreError> {
        let mut keys: Vec<(String, String)> =
            addresses.iter().map(|a| (pk(a), SK.to_owned())).collect();
        keys.sort();
        keys.dedup();
        let mut problems = HashMap::new();
        for item in self.batch_get(&keys).await?.into_iter().flatten() {
            let problem = EmailProblem::parse(&get_s(&item, "problem")?)
                .ok_or_else(|| StoreError::Corrupt("email suppression problem".into()))?;
            problems.insert(get_s(&item, "address")?, problem);
        }
        Ok(problems)
    }
}
