//! Each booking's delivery log (`BOOKING#<bid>/SMS#<intent id>`): one entry a text,
//! opened when it is claimed or suppressed, closed when it is sent or refused.
use chrono::{DateTime, Utc};

use crate::adapters::dynamodb::bookings::booking_pk;
use crate::adapters::dynamodb::codec::{get_enum, get_opt_s, get_s, opt_s, s};
use crate::adapters::dynamodb::Item;
use crate::domain::sms::{
    sortable, CarrierStatus, SmsIntent, SmsKind, SmsLogEntry, SmsStatus, Suppression,
};
use crate::ports::StoreError;

use super::carrier::opt_time;

pub(super) fn log_sk(intent_id: &str) -> String {
    format!("SMS#{intent_id}")
}

pub(super) fn log_item(
    intent: &SmsIntent,
    status: SmsStatus,
    reason: Option<Suppression>,
    now: DateTime<Utc>,
    claim_token: Option<&str>,
) -> Item {
    let mut item = Item::from([
        ("pk".to_owned(), s(booking_pk(&intent.booking_id))),
        ("sk".to_owned(), s(log_sk(&intent.id))),
        ("entity".to_owned(), s("sms_log")),
        ("intent_id".to_owned(), s(&intent.id)),
        ("kind".to_owned(), s(intent.kind.as_str())),
        ("status".to_owned(), s(status.as_str())),
        ("updated_at".to_owned(), s(now.to_rfc3339())),
        // Wall-clock time of the claim (or suppression), for audits of races with STOP.
        ("recorded_at".to_owned(), s(sortable(Utc::now()))),
    ]);
    opt_s(&mut item, "reason", reason.map(Suppression::as_str));
    opt_s(&mut item, "claim_token", claim_token);
    item
}

pub(super) fn log_entry_from(item: &Item) -> Result<SmsLogEntry, StoreError> {
    Ok(SmsLogEntry {
        intent_id: get_s(item, "intent_id")?,
        kind: get_enum(item, "kind", SmsKind::parse)?,
        status: get_enum(item, "status", SmsStatus::parse)?,
        reason: get_opt_s(item, "reason").and_then(|r| Suppression::parse(&r)),
        sent_at: opt_time(item, "sent_at"),
        message_id: get_opt_s(item, "message_id"),
        delivery_status: get_opt_s(item, "delivery_status").and_then(|d| CarrierStatus::parse(&d)),
        delivery_reason: get_opt_s(item, "delivery_reason"),
        delivery_updated_at: opt_time(item, "delivery_at"),
    })
}
