//! The product's rules, free of Lambda, HTTP and DynamoDB.
pub mod booking_changes;
pub mod bookings;
pub mod caller;
pub mod consent;
pub mod destinations;
pub mod enums;
pub mod error;
pub mod events;
pub mod idempotency;
pub mod ids;
pub mod inbound;
pub mod limits;
pub mod messaging;
pub mod pagination;
pub mod panel_chat;
pub mod participants;
pub mod phone;
pub mod phone_verification;
pub mod profiles;
pub mod schedule;
pub mod sms;
pub mod studies;
pub mod support;
pub mod validation;
pub mod workspaces;

pub use caller::{Asked, Caller};
pub use error::{DomainError, FieldError};
