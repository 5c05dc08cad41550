//! The one `UpdateItem` of the store: one item, an update expression, an optional
//! condition. A failed condition is a state the caller decides on (`Ok(false)`, or
//! [`StoreError::ConditionFailed`] through [`DynamoStore::update_existing`]), never an
//! outage; anything else the service says is [`StoreError::Unavailable`].
use aws_sdk_dynamodb::types::AttributeValue;

use super::codec::s;
use super::{condition_failed, unavailable, DynamoStore};
use crate::ports::StoreError;

/// An update of the item at (`pk`, `sk`).
#[derive(Debug)]
pub(super) struct ItemUpdate {
    pk: String,
    sk: String,
    expression: String,
    condition: Option<String>,
    names: Vec<(String, String)>,
    values: Vec<(String, AttributeValue)>,
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
            condition: None,
            names: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Applied only while `condition` holds.
    pub(super) fn condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// `#placeholder` stands for the attribute `name` (a reserved word, `status`).
    pub(super) fn name(mut self, placeholder: &str, name: &str) -> Self {
        self.names.push((placeholder.to_owned(), name.to_owned()));
        self
    }

    pub(super) fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.values.push((placeholder.to_owned(), value));
        self
    }
}

impl DynamoStore {
    /// Applies the update: `Ok(true)`, or `Ok(false)` when its condition failed.
    pub(super) async fn update(&self, update: ItemUpdate) -> Result<bool, StoreError> {
        let ItemUpdate {
            pk,
            sk,
            expression,
            condition,
            names,
            values,
        } = update;
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression(expression)
            .set_condition_expression(condition);
        for (placeholder, name) in names {
            request = request.expression_attribute_names(placeholder, name);
        }
        for (placeholder, value) in values {
            request = request.expression_attribute_values(placeholder, value);
        }
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e) if condition_failed(&e) => Ok(false),
            Err(e) => Err(unavailable("UpdateItem", e)),
        }
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
