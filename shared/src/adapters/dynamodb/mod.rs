//! The DynamoDB implementation of the storage ports: the main table and the append-only
//! consent table, keys documented in docs/dynamodb.md. Writes that must hang together are one `TransactWriteItems`.
mod access;
mod batch;
mod bookings;
mod codec;
mod condition;
mod consent;
mod conversations;
mod directory;
mod email_suppressions;
mod idempotency;
mod inbound;
mod notifications;
mod panel_chat;
mod participants;
mod phone;
mod phone_verification;
mod query;
mod rate_limits;
mod sms;
mod studies;
mod support;
mod team_notices;
mod transact;
mod update;
mod workspaces;
mod write;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;

use crate::ports::{IdempotencyRecord, StoreError};
use codec::Stored;

pub(crate) type Item = HashMap<String, AttributeValue>;

/// Storage for everything but the consent evidence (`table`), and for the consent
/// evidence, append-only (`consent_table`).
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
    consent_table: String,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>, consent_table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            consent_table: consent_table.into(),
        }
    }

    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(codec::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| unavailable("GetItem", e))?;
        Ok(out.item)
    }

    /// One stored entity read by its key; `None` when there is none.
    async fn get_as<T: Stored>(&self, pk: &str, sk: &str) -> Result<Option<T>, StoreError> {
        self.get(pk, sk)
            .await?
            .as_ref()
            .map(T::read_from)
            .transpose()
    }

    fn idempotency_put(&self, record: &IdempotencyRecord) -> Result<TransactWriteItem, StoreError> {
        // A record past its 24 hours counts as gone even before TTL deletes it (TTL can
        // lag by days), so the key may be used afresh.
        let now = record.expires_at - crate::domain::idempotency::RETENTION_SECONDS;
        let gone = condition::Condition::new("attribute_not_exists(pk) OR expires_at <= :now")
            .value(":now", codec::n(now));
        transact::put(&self.table, idempotency::to_item(record), Some(gone))
    }

    /// Runs a transaction, reporting which items' conditions failed when it is
    /// cancelled for that reason.
    async fn transact_items(&self, items: Vec<TransactWriteItem>) -> Result<(), TransactError> {
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        let err = match result {
            Ok(_) => return Ok(()),
            Err(err) => err,
        };
        let SdkError::ServiceError(service) = &err else {
            return Err(TransactError::Store(unavailable("TransactWriteItems", err)));
        };
        let TransactWriteItemsError::TransactionCanceledException(cancelled) = service.err() else {
            return Err(TransactError::Store(unavailable("TransactWriteItems", err)));
        };
        let reasons = cancelled.cancellation_reasons();
        let failed: Vec<usize> = reasons
            .iter()
            .enumerate()
            .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
            .map(|(i, _)| i)
            .collect();
        if failed.is_empty() && !reasons.is_empty() {
            // Cancelled for another reason (a conflicting transaction, throttling).
            return Err(TransactError::Store(StoreError::Unavailable(
                "TransactWriteItems: cancelled by a concurrent transaction".into(),
            )));
        }
        Err(TransactError::Conditions(failed))
    }

    /// Runs a transaction. When it carries an idempotency record (always the last
    /// item), a failed condition on that record means a concurrent twin request won.
    async fn transact(
        &self,
        mut items: Vec<TransactWriteItem>,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        if let Some(record) = idempotency {
            items.push(self.idempotency_put(record)?);
        }
        let idempotency_index = idempotency.map(|_| items.len() - 1);
        let failed = match self.transact_items(items).await {
            Ok(()) => return Ok(()),
            Err(TransactError::Store(e)) => return Err(e),
            Err(TransactError::Conditions(failed)) => failed,
        };
        if failed.is_empty() {
            // No reasons reported: ask the table whether the twin's record is there.
            if let Some(record) = idempotency {
                let pk = idempotency::pk(&record.scope_key);
                if self.get(&pk, idempotency::SK).await?.is_some() {
                    return Err(StoreError::IdempotencyKeyTaken);
                }
            }
            return Err(StoreError::ConditionFailed);
        }
        if idempotency_index.is_some_and(|i| failed.contains(&i)) {
            return Err(StoreError::IdempotencyKeyTaken);
        }
        Err(StoreError::ConditionFailed)
    }
}

/// Why a transaction did not commit.
enum TransactError {
    /// Cancelled because these items' conditions failed (empty: not reported).
    Conditions(Vec<usize>),
    Store(StoreError),
}

/// Whether a single-item write (`PutItem`, `UpdateItem`, `DeleteItem`) was refused by
/// its condition expression: the one place that reads DynamoDB's answer for it.
pub(super) fn condition_failed<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "ConditionalCheckFailedException")
}

/// A request builder refused its input: a bug in this adapter, never the caller's.
fn build_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("request construction: {e}"))
}

/// The error as something a person can act on, without anything of the request in it
/// (a request can carry personal data).
fn unavailable<E: ProvideErrorMetadata, R>(operation: &str, err: SdkError<E, R>) -> StoreError {
    let detail = match &err {
        SdkError::ServiceError(service) => service
            .err()
            .code()
            .unwrap_or("unknown service error")
            .to_owned(),
        SdkError::TimeoutError(_) => "timeout".to_owned(),
        SdkError::DispatchFailure(_) => "dispatch failure".to_owned(),
        SdkError::ResponseError(_) => "unreadable response".to_owned(),
        SdkError::ConstructionFailure(_) => "request construction failure".to_owned(),
        _ => "unknown error".to_owned(),
    };
    tracing::warn!(operation, detail = %detail, "dynamodb call failed");
    StoreError::Unavailable(format!("{operation}: {detail}"))
}
