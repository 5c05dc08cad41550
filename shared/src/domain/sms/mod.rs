//! Outbound SMS. Every text starts life as an *intent* written in the same transaction
//! as the change that calls for it (a booking, a reschedule, a cancellation, a team's
//! day-of update, a reminder due later). An intent is sent at most once: claiming it
//! checks, in one transaction with counting it, that the person has not opted out, that
//! the workspace's consent stands, that the booking still has that phone and state,
//! and that fewer than six texts went out for the event.
pub mod carrier;
pub mod dispatch;
pub mod plan;
pub mod stale;
pub mod texts;

use crate::domain::phone::Phone;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::enums::string_enum;

/// The most texts one booking (one event) may receive; the disclosure promises it.
pub const MAX_MESSAGES_PER_EVENT: i64 = 6;

/// How long before the interview its reminder goes out.
pub fn reminder_lead() -> Duration {
    Duration::minutes(15)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmsKind {
    Confirmation,
    Reminder,
    ScheduleChange,
    Cancellation,
    DayOfUpdate,
}
string_enum!(SmsKind {
    Confirmation => "confirmation",
    Reminder => "reminder",
    ScheduleChange => "schedule_change",
    Cancellation => "cancellation",
    DayOfUpdate => "day_of_update",
});

/// Until when a text of `kind` about an interview starting at `starts_at` still makes
/// sense: a reminder or a confirmation never once the interview has started; a
/// cancellation or a day-of update ("running late") until an hour after the start. The
/// one rule both for sending (`dispatch::send_intent`) and for accepting a day-of
/// update (`booking_changes::day_of_update`), so nothing is accepted that will not go out.
pub fn send_deadline(kind: SmsKind, starts_at: DateTime<Utc>) -> DateTime<Utc> {
    match kind {
        SmsKind::Cancellation | SmsKind::DayOfUpdate => starts_at + Duration::hours(1),
        _ => starts_at,
    }
}

/// Whether a text of `kind` about an interview at `starts_at` is too late at `now`.
pub fn too_late(kind: SmsKind, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= send_deadline(kind, starts_at)
}

/// The fixed day-of texts a team may send; researchers cannot write their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayOfUpdate {
    RunningLate,
    StartingSoon,
}
string_enum!(DayOfUpdate { RunningLate => "running_late", StartingSoon => "starting_soon" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmsStatus {
    /// Claimed and being handed to SNS.
    Sending,
    Sent,
    /// Not sent (SNS refused it, or it was still throttled after the retries), or
    /// `unconfirmed` (the reason): handed over with no answer, so it may or may not
    /// have gone out, and is never resent. Also sent to the failure queue.
    Failed,
    /// Not sent, on purpose: opted out, consent gone, cancelled, capped, too late.
    Suppressed,
}
string_enum!(SmsStatus { Sending => "sending", Sent => "sent", Failed => "failed", Suppressed => "suppressed" });

/// A text waiting to go out, filed under the minute it is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SmsIntent {
    /// Time-ordered and unique: the key of its delivery-log entry too.
    pub id: String,
    pub booking_id: String,
    pub kind: SmsKind,
    pub due_at: DateTime<Utc>,
    /// The interview time the text speaks of; if the booking moved since, it is stale.
    pub starts_at: DateTime<Utc>,
    pub day_of_update: Option<DayOfUpdate>,
}

impl SmsIntent {
    pub fn new(
        booking_id: &str,
        kind: SmsKind,
        due_at: DateTime<Utc>,
        starts_at: DateTime<Utc>,
    ) -> Self {
        let id = format!(
            "{}-{}",
            due_at.format("%Y%m%d%H%M%S%6f"),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self {
            id,
            booking_id: booking_id.to_owned(),
            kind,
            due_at,
            starts_at,
            day_of_update: None,
        }
    }

    /// The minute bucket the intent is filed under, e.g. `2026-12-01T14:45`.
    pub fn bucket(&self) -> String {
        minute_bucket(self.due_at)
    }
}

pub fn minute_bucket(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// Why an intent was not sent (shown in the delivery log).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Suppression {
    OptedOut,
    NoConsent,
    /// Cancelled, phone removed, or moved to another time since the text was planned.
    BookingChanged,
    CapReached,
    TooLate,
    SmsDisabled,
    /// The booking's phone is in a country texts may not go to, or is our own number
    /// (a number kept before the deployment's countries changed).
    DestinationNotAllowed,
    /// Not a suppression: the reason of a `failed` entry whose claim never recorded an
    /// outcome (the claim landed after its caller gave up, or the function died before
    /// it finished). The text may or may not have gone out; it is never resent.
    Unconfirmed,
}
string_enum!(Suppression {
    OptedOut => "opted_out",
    NoConsent => "no_consent",
    BookingChanged => "booking_changed",
    CapReached => "cap_reached",
    TooLate => "too_late",
    SmsDisabled => "sms_disabled",
    DestinationNotAllowed => "destination_not_allowed",
    Unconfirmed => "unconfirmed",
});

/// One call's claim on an intent: the token its log entry carries (so the call can
/// recognise a claim that committed while it heard an error) and when it was taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub token: String,
    /// The later of the run's event time and the wall clock: never earlier than the
    /// moment the claim was really taken, so the stale-claim sweep (`stale.rs`) cannot
    /// take a live send for an abandoned one, and runs driven at a later event time
    /// (`/_dev/tick`, tests) see their own claims at that time.
    pub claimed_at: DateTime<Utc>,
}

impl Claim {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self::taken_at(now, Utc::now())
    }

    fn taken_at(now: DateTime<Utc>, wall_clock: DateTime<Utc>) -> Self {
        Self {
            token: uuid::Uuid::new_v4().to_string(),
            claimed_at: now.max(wall_clock),
        }
    }
}

/// The durable mark of an open claim, written in the claim transaction and removed
/// when the send's outcome is recorded: what the stale-claim sweep looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimWatch {
    pub booking_id: String,
    pub intent_id: String,
    pub kind: SmsKind,
    pub claim: Claim,
}

/// How a claimed send ended, as its log entry records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendRecord {
    /// SNS accepted it; its message id (what the carrier's events name) if it gave one,
    /// and the number it went to.
    Sent {
        message_id: Option<String>,
        phone: Phone,
    },
    /// Not sent, or `Some(Unconfirmed)`: may or may not have gone out.
    Failed { reason: Option<Suppression> },
}

/// What the carrier finally said about a text SNS accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarrierStatus {
    Delivered,
    Failed,
}
string_enum!(CarrierStatus { Delivered => "delivered", Failed => "failed" });

/// The carrier's outcome of one text: recorded on its log entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarrierOutcome {
    pub status: CarrierStatus,
    /// The carrier's reason, as SNS's delivery log gives it (`providerResponse`, e.g.
    /// `Phone carrier has blocked this message`), for a failure.
    pub reason: Option<String>,
    /// When the carrier reported it (the event's own time): a later report wins.
    pub at: DateTime<Utc>,
}

/// Where a sent text's log entry is, found from its message id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextRef {
    pub booking_id: String,
    pub intent_id: String,
    /// The number it went to (kept with the message id since the text was sent).
    pub phone: Option<Phone>,
}

/// One line of a booking's delivery log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SmsLogEntry {
    pub kind: SmsKind,
    pub sent_at: Option<DateTime<Utc>>,
    pub status: SmsStatus,
    pub reason: Option<Suppression>,
    /// SNS's id of the message, once it accepted it.
    pub message_id: Option<String>,
    /// The carrier's outcome (`delivered` / `failed`), once it reported one; `null`
    /// until then (it can take up to 72 hours, and some carriers never report).
    pub delivery_status: Option<CarrierStatus>,
    /// The carrier's reason for a failed delivery, e.g. `Phone carrier has blocked this
    /// message` (SNS's `providerResponse`).
    pub delivery_reason: Option<String>,
    /// When the carrier reported the outcome.
    pub delivery_updated_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub intent_id: String,
}

/// RFC 3339 with microseconds: sorts as text in time order.
pub fn sortable(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_dated_no_earlier_than_the_wall_clock() {
        let event: DateTime<Utc> = "2026-12-01T14:45:00Z".parse().unwrap();
        let wall: DateTime<Utc> = "2026-12-01T14:45:20Z".parse().unwrap();
        // A late event (a retried schedule tick): the real time of the claim.
        assert_eq!(Claim::taken_at(event, wall).claimed_at, wall);
        // A run driven at a later event time: that time.
        let later = event + Duration::hours(2);
        assert_eq!(Claim::taken_at(later, wall).claimed_at, later);
        assert_ne!(
            Claim::taken_at(event, wall).token,
            Claim::taken_at(event, wall).token
        );
    }
}
