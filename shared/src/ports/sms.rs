//! SMS intents from filing to sending, their delivery log, and the carrier's outcomes.
use crate::domain::phone::Phone;
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::bookings::BookingStatus;
use crate::domain::sms::{
    CarrierOutcome, Claim, ClaimWatch, SendRecord, SmsIntent, SmsLogEntry, Suppression, TextRef,
};

/// What must still hold, in the claim transaction, for a text to go out.
#[derive(Clone, Debug)]
pub struct SendGuard<'a> {
    pub phone: &'a Phone,
    /// Its SMS switch must be on when the claim commits.
    pub workspace_id: &'a str,
    /// For a reminder: the study whose reminder switch must be on.
    pub reminder_study_id: Option<&'a str>,
    pub expected_status: BookingStatus,
    pub cap: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimResult {
    /// This run owns the intent and has counted it: send it now.
    Claimed,
    /// Another run claimed it, or it was already handled.
    AlreadyHandled,
    /// It must not be sent; the reason goes in the delivery log.
    Refused(Suppression),
}

pub trait SmsStore {
    /// The intents nobody has claimed yet filed under the minute buckets from `from`'s
    /// to `to`'s (both included), in no particular order; every page of a `Query` per
    /// UTC day the window touches.
    async fn due_intents(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SmsIntent>, StoreError>;
    async fn find_intent(
        &self,
        bucket: &str,
        intent_id: &str,
    ) -> Result<Option<SmsIntent>, StoreError>;
    /// In one transaction: takes the intent out of its bucket, counts it against the
    /// booking's cap (booking still in the expected state, with that phone, at that
    /// time), checks no opt-out and standing consent, opens its log entry (`sending`,
    /// carrying the claim's token) and writes the claim's watch (see `stale_claims`).
    async fn claim_intent(
        &self,
        intent: &SmsIntent,
        guard: &SendGuard<'_>,
        claim: &Claim,
        now: DateTime<Utc>,
    ) -> Result<ClaimResult, StoreError>;
    /// Takes an intent that must not be sent out of its bucket, logging why.
    async fn suppress_intent(
        &self,
        intent: &SmsIntent,
        reason: Suppression,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Records a claimed send's outcome (`sent` with its message id, or `failed` with
    /// its reason) and removes the claim's watch, in one transaction; a sent text's
    /// message id also gets its lookup (see `CarrierOutcomeStore`) in it.
    async fn finish_intent(
        &self,
        intent: &SmsIntent,
        claim: &Claim,
        record: &SendRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn sms_log(&self, booking_id: &str) -> Result<Vec<SmsLogEntry>, StoreError>;
    /// The watches of claims taken from `since` (included) to `before` (excluded),
    /// oldest first: every page of a `Query` per UTC day the window touches.
    async fn stale_claims(
        &self,
        since: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> Result<Vec<ClaimWatch>, StoreError>;
    /// Whether the watched claim is still open: its log entry `sending` with the
    /// claim's token.
    async fn claim_still_open(&self, watch: &ClaimWatch) -> Result<bool, StoreError>;
    /// In one transaction: marks the log entry `failed` with `reason`, on condition it
    /// is still `sending` with the claim's token, and removes the watch. `false` when
    /// the entry had moved on (then the watch alone is removed).
    async fn give_up_claim(
        &self,
        watch: &ClaimWatch,
        reason: Suppression,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Removes the watch of a claim whose outcome is recorded.
    async fn drop_claim_watch(&self, watch: &ClaimWatch) -> Result<(), StoreError>;
}

/// The carrier's outcome of the texts we sent, found by their message id.
pub trait CarrierOutcomeStore {
    /// The log entry of the text SNS gave this message id (one `GetItem`); `None` for
    /// a message no intent sent (a STOP or HELP reply, a verification code).
    async fn find_text(&self, message_id: &str) -> Result<Option<TextRef>, StoreError>;
    /// Records the carrier's outcome on the text's log entry, unless a report from a
    /// later time is already there; `false` when it was not recorded (older report, or
    /// no such entry).
    async fn record_carrier_outcome(
        &self,
        text: &TextRef,
        outcome: &CarrierOutcome,
    ) -> Result<bool, StoreError>;
}
