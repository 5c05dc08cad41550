//! Outbound SMS. Every text starts life as an *intent* written in the same transaction
//! as the change that calls for it (a booking, a reschedule, a cancellation, a team's
//! day-of update, a reminder due later). An intent is sent at most once: claiming it
//! checks, in one transaction with counting it, that the person has not opted out, that
//! the workspace's consent stands, that the booking still has that phone and state,
//! and that fewer than six texts went out for the event.
pub mod dispatch;
pub mod texts;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::enums::string_enum;

/// The most texts one booking (one event) may receive; the disclosure promises it.
pub const MAX_MESSAGES_PER_EVENT: i64 = 6;

/// How long before the interview its reminder goes out.
pub fn reminder_lead() -> Duration {
    Duration::minutes(15)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// The fixed day-of texts a team may send; researchers cannot write their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOfUpdate {
    RunningLate,
    StartingSoon,
}
string_enum!(DayOfUpdate { RunningLate => "running_late", StartingSoon => "starting_soon" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsStatus {
    /// Claimed and being handed to SNS.
    Sending,
    Sent,
    /// SNS refused it after retries; also sent to the failure queue.
    Failed,
    /// Not sent, on purpose: opted out, consent gone, cancelled, capped, too late.
    Suppressed,
}
string_enum!(SmsStatus { Sending => "sending", Sent => "sent", Failed => "failed", Suppressed => "suppressed" });

/// A text waiting to go out, filed under the minute it is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Suppression {
    OptedOut,
    NoConsent,
    /// Cancelled, phone removed, or moved to another time since the text was planned.
    BookingChanged,
    CapReached,
    TooLate,
    SmsDisabled,
}
string_enum!(Suppression {
    OptedOut => "opted_out",
    NoConsent => "no_consent",
    BookingChanged => "booking_changed",
    CapReached => "cap_reached",
    TooLate => "too_late",
    SmsDisabled => "sms_disabled",
});

/// One line of a booking's delivery log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SmsLogEntry {
    pub kind: SmsKind,
    pub sent_at: Option<DateTime<Utc>>,
    pub status: SmsStatus,
    pub reason: Option<Suppression>,
    #[serde(skip)]
    pub intent_id: String,
}

/// RFC 3339 with microseconds: sorts as text in time order.
pub fn sortable(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}
