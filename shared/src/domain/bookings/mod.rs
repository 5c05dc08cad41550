//! Public booking through a study's share link, with SMS consent capture, and the
//! participant's manage link. A refused booking writes nothing at all.
//!
//! The types and the manage link's token are here; [`intents`] holds the texts a
//! booking calls for, [`public`] the share link's study view and the booking itself,
//! [`manage`] what the holder of the manage link may do.
mod intents;
mod manage;
mod public;
#[cfg(test)]
mod tests;

pub use intents::{booking_intents, reminder_intent};
pub use manage::{manage_view, remove_phone};
pub use public::{book, public_study};

use crate::domain::phone::Phone;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::consent::ConsentRecord;
use crate::domain::destinations::SmsDestinations;
use crate::domain::enums::string_enum;
use crate::domain::limits::SmsLimits;
use crate::domain::participants::Participant;
use crate::domain::sms::SmsIntent;
use crate::domain::studies::StudyKind;

/// How far ahead an interview may be booked.
pub const MAX_BOOKING_AHEAD_DAYS: i64 = 730;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Cancelled,
}
string_enum!(BookingStatus { Booked => "booked", Cancelled => "cancelled" });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub id: String,
    pub study_id: String,
    pub workspace_id: String,
    pub participant_id: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub status: BookingStatus,
    /// The number texts for this booking go to; only ever set with consent.
    pub phone: Option<Phone>,
    pub created_at: DateTime<Utc>,
    /// The token of the manage link, which every text carries. (Lookups go by its
    /// hash; the booking keeps the token itself so later texts can link to it.)
    pub manage_token: String,
    /// Bumped by every change, so concurrent changes cannot both win.
    pub version: i64,
    /// The pending reminder's intent, so a reschedule or cancellation can drop it.
    pub reminder: Option<IntentRef>,
}

/// Where an intent is filed: its minute bucket and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntentRef {
    pub bucket: String,
    pub id: String,
}

impl From<&SmsIntent> for IntentRef {
    fn from(intent: &SmsIntent) -> Self {
        Self {
            bucket: intent.bucket(),
            id: intent.id.clone(),
        }
    }
}

/// Everything a booking writes, in one transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct BookingWrite {
    /// The person booking. Written only when new to the study (`participant_exists`
    /// false, and only if still absent): a public booking never changes the name or
    /// phone the team holds for a participant; its phone and consent are its own.
    pub participant: Participant,
    pub participant_exists: bool,
    pub booking: Booking,
    pub manage_token_hash: String,
    pub consent: Option<ConsentRecord>,
    /// The texts the booking calls for (confirmation, reminder), filed with it.
    pub intents: Vec<SmsIntent>,
}

/// What the product needs to know to run the public pages.
#[derive(Clone, Debug)]
pub struct PublicSettings<'a> {
    pub product_name: &'a str,
    /// Where this API is reachable by participants (manage links point here).
    pub public_base_url: &'a str,
    /// Where texts may go.
    pub destinations: &'a SmsDestinations,
    /// How many bookings a share link, a source and a phone may make.
    pub limits: &'a SmsLimits,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PublicSms {
    pub required: bool,
    pub consent_text: String,
    pub disclosure_version: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PublicStudyView {
    pub kind: StudyKind,
    pub sms: PublicSms,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBooking {
    pub name: String,
    pub email: String,
    pub starts_at: String,
    pub time_zone: String,
    pub phone: Option<String>,
    pub sms_consent: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BookingCreated {
    pub booking_id: String,
    pub participant_id: String,
    pub manage_token: String,
    pub manage_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ManageView {
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub status: BookingStatus,
    pub phone_last4: Option<String>,
}

/// The manage link's lookup item is keyed by this hash, so no key or index holds a token.
/// The booking itself keeps the token, because every text to the participant carries
/// the manage link (see docs/dynamodb.md).
pub fn manage_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn manage_url(public_base_url: &str, token: &str) -> String {
    format!("{}/b/{token}", public_base_url.trim_end_matches('/'))
}
