//! What the domain needs from storage, as small traits. `adapters::dynamodb` holds the
//! one implementation of each.
//!
//! The traits use `async fn`: they are only ever used with the concrete DynamoDB store,
//! so the `Send`-ness of their futures is known wherever it matters.
#![allow(async_fn_in_trait)]
use thiserror::Error;

mod access;
mod bookings;
mod consent;
mod conversations;
mod email_suppressions;
mod events;
mod failure_queue;
mod idempotency;
mod inbound;
mod lists;
mod mailer;
mod panel_api;
mod panel_chat;
mod participants;
mod phone_records;
mod phone_verification;
mod rate_limits;
mod sms;
mod sms_sender;
mod studies;
mod support;
mod team_notices;
mod workspaces;
pub use access::{AccessStore, Removal};
pub use bookings::BookingStore;
pub use consent::ConsentStore;
pub use conversations::ConversationStore;
pub use email_suppressions::EmailSuppressionStore;
pub use events::EventPublisher;
pub use failure_queue::{FailureQueue, QueueError, SmsFailure};
pub use idempotency::{IdempotencyRecord, IdempotencyStore};
pub use inbound::{AutoReply, InboundStore, OptOutChange};
pub use lists::{MemberDirectory, StudyDirectory};
pub use mailer::Mailer;
pub use panel_api::{PanelApi, PanelError};
pub use panel_chat::PanelChatStore;
pub use participants::ParticipantStore;
pub use phone_records::PhoneRecordStore;
pub use phone_verification::PhoneVerificationStore;
pub use rate_limits::RateLimitStore;
pub use sms::{CarrierOutcomeStore, ClaimResult, SendGuard, SmsStore};
pub use sms_sender::SmsSender;
pub use studies::StudyStore;
pub use support::SupportStore;
pub use team_notices::TeamNoticeStore;
pub use workspaces::WorkspaceStore;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be reached or refused the call; safe to retry.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A conditional write found the data changed since it was read.
    #[error("a conditional write found the data changed")]
    ConditionFailed,
    /// The idempotency key was claimed by a concurrent request with the same key.
    #[error("the idempotency key was claimed concurrently")]
    IdempotencyKeyTaken,
    #[error("the page cursor is not one this list issued")]
    InvalidCursor,
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

#[derive(Debug, Error)]
pub enum SendError {
    /// Still throttled after the SDK's retries with backoff and jitter: not sent.
    #[error("throttled: {0}")]
    Throttled(String),
    /// The service refused the message (e.g. an invalid or blocked number): not sent.
    #[error("rejected: {0}")]
    Rejected(String),
    /// The service could not be reached (the request never went out): not sent.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The request went out and no answer says what became of it (a timeout, a 5xx, a
    /// connection lost after sending): the message may or may not have gone out. Never
    /// retried, since a retry could send it twice.
    #[error("unconfirmed: {0}")]
    Unconfirmed(String),
}
