//! Suppressed email addresses (docs/dynamodb.md): `EMAILSUPPRESSED#<address>` /
//! `SUPPRESSED`, with `problem` (`bounced` / `complained`), `first_at`, `last_at`. Kept
//! (no TTL): an address that bounced for good does not come back by itself.
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use super::codec::{get_s, s};
use super::DynamoStore;
use crate::adapters::dynamodb::update::ItemUpdate;
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
        let update = ItemUpdate::new(
            pk(address),
            SK,
            "SET entity = :entity, address = :address, problem = :problem, \
             last_at = :at, first_at = if_not_exists(first_at, :at)",
        )
        .value(":entity", s("email_suppression"))
        .value(":address", s(address))
        .value(":problem", s(problem.as_str()))
        .value(":at", s(at.to_rfc3339()));
        self.update(update).await.map(|_| ())
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
