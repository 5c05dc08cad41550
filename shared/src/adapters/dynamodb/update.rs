//! The one `UpdateItem` of the store: one item, an update expression, an optional
//! condition. A failed condition is a state the caller decides on (`Ok(false)`, or
//! [`StoreError::ConditionFailed`] through [`DynamoStore::update_existing`]), never an
//! outage; anything else the service says is [`StoreError::Unavailable`].
use aws_sdk_dynamodb::types::AttributeValue;

use super::codec::{key, n};
use super::condition::{guarded, Condition, Parts};
use super::write::written;
use super::DynamoStore;
use crate::ports::StoreError;

/// An update of the item at (`pk`, `sk`). Its condition (none while the expression is
/// empty) carries the placeholders of the update expression too.
#[derive(Debug)]
pub(super) struct ItemUpdate {
    pk: String,
    sk: String,
    expression: String,
    guard: Condition,
}

impl ItemUpdate {
    pub(super) fn new(
        pk: impl Into<String>,
        sk: impl Into<String>,
        expression: impl Into<String>,
    ) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
            expression: expression.into(),
            guard: Condition::default(),
        }
    }

    /// Moves the count `attribute` of the item at (`pk`, `sk`) one up or down, as `delta`
    /// says, refusing the change that would take it to zero (a workspace's last admin,
    /// a study's last owner); up needs the item there.
    pub(super) fn count_kept_above_zero(
        (pk, sk): (String, String),
        attribute: &str,
        delta: i64,
    ) -> Self {
        let (expression, condition) = if delta < 0 {
            (
                format!("SET {attribute} = {attribute} - :one"),
                format!("{attribute} > :one"),
            )
        } else {
            (
                format!("SET {attribute} = {attribute} + :one"),
                "attribute_exists(pk)".to_owned(),
            )
        };
        Self::new(pk, sk, expression)
            .condition(condition)
            .value(":one", n(1))
    }

    /// Applied only while `condition` holds.
    pub(super) fn condition(mut self, condition: impl Into<String>) -> Self {
        self.guard = self.guard.expression(condition);
        self
    }

    /// `#placeholder` stands for the attribute `name` (a reserved word, `status`).
    pub(super) fn name(mut self, placeholder: &str, name: &str) -> Self {
        self.guard = self.guard.name(placeholder, name);
        self
    }

    pub(super) fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.guard = self.guard.value(placeholder, value);
        self
    }

    /// The key, the update expression, and the condition with every placeholder.
    pub(super) fn into_parts(self) -> (String, String, String, Parts) {
        let guard = Condition::parts(Some(self.guard));
        (self.pk, self.sk, self.expression, guard)
    }
}

impl DynamoStore {
    /// Applies the update: `Ok(true)`, or `Ok(false)` when its condition failed.
    pub(super) async fn update(&self, update: ItemUpdate) -> Result<bool, StoreError> {
        let (pk, sk, expression, c) = update.into_parts();
        let request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .update_expression(expression);
        let request = guarded!(request, c);
        written("UpdateItem", request.send().await)
    }

    /// Applies an update whose condition names the state the caller relies on (most
    /// often that the item exists): when it fails, [`StoreError::ConditionFailed`].
    pub(super) async fn update_existing(&self, update: ItemUpdate) -> Result<(), StoreError> {
        if self.update(update).await? {
            Ok(())
        } else {
            Err(StoreError::ConditionFailed)
        }
    }

    /// Conditional update on one item; `Ok(false)` when its condition failed.
    pub(super) async fn update_if(
        &self,
        pk: String,
        sk: String,
        expression: &str,
        condition: &str,
        values: &[(&str, AttributeValue)],
    ) -> Result<bool, StoreError> {
        let update = values.iter().fold(
            ItemUpdate::new(pk, sk, expression).condition(condition),
            |u, (placeholder, value)| u.value(placeholder, value.clone()),
        );
        self.update(update).await
    }
}
