//! The one `UpdateItem` of the store: one item, an update expression, an optional
//! condition. A failed condition is a state the caller decides on (`Ok(false)`, or
//! [`StoreError::ConditionFailed`] through [`DynamoStore::update_existing`]), never an
//! outage; anything else the service says is [`StoreError::Unavailable`].
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

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
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

/// An [`ItemUpdate`]'s parts, as a request takes them.
pub(super) struct UpdateParts {
    pub(super) pk: String,
    pub(super) sk: String,
    pub(super) expression: String,
    pub(super) condition: Option<String>,
    pub(super) names: HashMap<String, String>,
    pub(super) values: HashMap<String, AttributeValue>,
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
            names: HashMap::new(),
            values: HashMap::new(),
        }
    }

    /// Applied only while `condition` holds.
    pub(super) fn condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// `#placeholder` stands for the attribute `name` (a reserved word, `status`).
    pub(super) fn name(mut self, placeholder: &str, name: &str) -> Self {
        self.names.insert(placeholder.to_owned(), name.to_owned());
        self
    }

    pub(super) fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.values.insert(placeholder.to_owned(), value);
        self
    }

    pub(super) fn into_parts(self) -> UpdateParts {
        UpdateParts {
            pk: self.pk,
            sk: self.sk,
            expression: self.expression,
            condition: self.condition,
            names: self.names,
            values: self.values,
        }
    }
}

impl DynamoStore {
    /// Applies the update: `Ok(true)`, or `Ok(false)` when its condition failed.
    pub(super) async fn update(&self, update: ItemUpdate) -> Result<bool, StoreError> {
        let parts = update.into_parts();
        let request = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(parts.pk))
            .key("sk", s(parts.sk))
            .update_expression(parts.expression)
            .set_condition_expression(parts.condition)
            .set_expression_attribute_names(Some(parts.names).filter(|n| !n.is_empty()))
            .set_expression_attribute_values(Some(parts.values).filter(|v| !v.is_empty()));
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
