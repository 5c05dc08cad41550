//! Texts people send us: their bookkeeping, the opt-out and the automatic replies.
use crate::domain::phone::Phone;
use chrono::{DateTime, Utc};

use super::StoreError;

pub trait InboundStore {
    async fn inbound_done(&self, inbound_id: &str) -> Result<bool, StoreError>;
    async fn mark_inbound_done(
        &self,
        inbound_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Moves the platform-wide opt-out for the message `inbound_id` sent at `at`,
    /// unless a later message already decided. A retry of a message whose change was
    /// applied answers `Changed` again.
    async fn set_opted_out(
        &self,
        phone: &Phone,
        opted_out: bool,
        at: DateTime<Utc>,
        inbound_id: &str,
        now: DateTime<Utc>,
    ) -> Result<OptOutChange, StoreError>;
    /// The workspaces whose consent for this number stands (granted).
    async fn consenting_workspaces(&self, phone: &Phone) -> Result<Vec<String>, StoreError>;
    /// True the first time for an inbound message: its one reply may go out.
    async fn claim_reply(&self, inbound_id: &str) -> Result<bool, StoreError>;
    /// True the first time for a number, a day and a kind: that day's automatic answer
    /// of that kind may go out.
    async fn claim_daily_auto_reply(
        &self,
        phone: &Phone,
        day: &str,
        kind: AutoReply,
    ) -> Result<bool, StoreError>;
}

/// What a message did to the platform-wide opt-out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptOutChange {
    /// It moved the state (opted out, or lifted the opt-out).
    Changed,
    /// The state already was what it asked; only its time was noted.
    Unchanged,
    /// A later message already decided; nothing changed.
    Stale,
}

/// The automatic answers a number gets at most once a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoReply {
    /// "This number does not accept replies."
    NoReplies,
    /// For a text that may be a revocation: exactly how to stop.
    HowToStop,
}
