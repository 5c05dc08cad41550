use serde::Serialize;
use thiserror::Error;

use crate::ports::StoreError;

/// One invalid field of a request, reported back to the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Why a domain operation did not happen. Mapped to problem+json in `http::error`.
#[derive(Debug, Error)]
pub enum DomainError {
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// Unknown, or not visible to the caller: the two are indistinguishable on purpose.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// The object is in a state that forbids the change; `code` is machine-readable.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Too many requests of this kind; try again after this many seconds.
    #[error("rate limited: {message}")]
    RateLimited {
        message: String,
        retry_after_seconds: i64,
    },
    /// A message (SMS, email) could not be handed to its carrier; safe to retry.
    #[error("delivery unavailable: {0}")]
    DeliveryUnavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DomainError {
    pub fn invalid(field: &str, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }
}
