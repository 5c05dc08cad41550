//! A condition on one item and the `#name` / `:value` placeholders its request uses:
//! held once, for the conditions of transaction items and for single updates (whose
//! update expression shares the placeholders).
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// A condition on one item, with the placeholders it uses.
#[derive(Debug, Default)]
pub(super) struct Condition {
    expression: String,
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Condition {
    pub(super) fn new(expression: impl Into<String>) -> Self {
        Self {
            expression: expression.into(),
            ..Self::default()
        }
    }

    /// With `expression` as its expression, its placeholders kept.
    pub(super) fn expression(mut self, expression: impl Into<String>) -> Self {
        self.expression = expression.into();
        self
    }

    /// The item is not there yet: a put creates, never overwrites.
    pub(super) fn absent() -> Self {
        Self::new("attribute_not_exists(pk)")
    }

    /// The item is there.
    pub(super) fn present() -> Self {
        Self::new("attribute_exists(pk)")
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

    /// The parts a request takes, each `None` when empty.
    pub(super) fn parts(condition: Option<Self>) -> Parts {
        let c = condition.unwrap_or_default();
        Parts {
            expression: Some(c.expression).filter(|e| !e.is_empty()),
            names: Some(c.names).filter(|n| !n.is_empty()),
            values: Some(c.values).filter(|v| !v.is_empty()),
        }
    }
}

/// A condition as a request takes it: each part `None` when empty.
pub(super) struct Parts {
    pub(super) expression: Option<String>,
    pub(super) names: Option<HashMap<String, String>>,
    pub(super) values: Option<HashMap<String, AttributeValue>>,
}

/// A request builder with a condition's parts set. Every SDK builder that takes a
/// condition (`PutItem`, `DeleteItem`, `UpdateItem`, and a transaction's put, delete,
/// check and update) has the same three setters, but no trait in common.
macro_rules! guarded {
    ($builder:expr, $parts:expr) => {{
        let parts: $crate::adapters::dynamodb::condition::Parts = $parts;
        $builder
            .set_condition_expression(parts.expression)
            .set_expression_attribute_names(parts.names)
            .set_expression_attribute_values(parts.values)
    }};
}

pub(super) use guarded;
