//! What the carrier said about a text we sent: delivered, or failed with a reason; and,
//! when the carrier reports that the destination opted out or blocks our texts (a US
//! toll-free number's carrier answers STOP itself and blocks later texts), the
//! platform-wide opt-out, so our state agrees with the carrier's and no later claim
//! can succeed (every claim checks `OPTOUT`).
//!
//! The events come from AWS End User Messaging SMS ("Text Message Delivery Status
//! Updated" on EventBridge; `functions/sms-delivery-status` parses them). They are
//! delivered at least once and in any order: each step is idempotent and the later
//! report (by the event's own time) wins.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{CarrierOutcome, CarrierStatus};
use crate::domain::DomainError;
use crate::ports::{CarrierOutcomeStore, InboundStore};

/// Whether the carrier has already confirmed this opt-out itself: on a number whose
/// carrier answers STOP (US toll-free), a text that is the STOP keyword (any case,
/// surrounding spaces and punctuation ignored). A plain-language opt-out ("please stop
/// texting me") is ours alone to confirm.
pub fn carrier_confirmed_stop(carrier_answers_stop: bool, body: &str) -> bool {
    carrier_answers_stop
        && body
            .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
            .eq_ignore_ascii_case("STOP")
}

/// One carrier event, as the domain needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarrierEvent {
    /// The id SNS gave the message when it accepted it.
    pub message_id: String,
    /// e.g. `TEXT_DELIVERED`, `TEXT_BLOCKED`, `TEXT_OPTED_OUT`.
    pub event_type: String,
    /// e.g. `DELIVERED`, `BLOCKED`.
    pub message_status: Option<String>,
    /// Whether this is the message's final status (interim ones are not recorded).
    pub is_final: bool,
    /// The number the text went to (E.164), for a carrier opt-out.
    pub destination: Option<String>,
    /// When the carrier reported it.
    pub at: DateTime<Utc>,
}

/// What an event means for the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub status: CarrierStatus,
    /// The carrier reports the destination opted out or blocks our texts.
    pub opted_out: bool,
}

/// The meaning of End User Messaging's SMS event types ("Event types for SMS, MMS, and
/// voice"); `None` for interim ones (queued, pending) and unknown non-final ones.
pub fn verdict(event_type: &str, is_final: bool) -> Option<Verdict> {
    let failed = |opted_out| {
        Some(Verdict {
            status: CarrierStatus::Failed,
            opted_out,
        })
    };
    match event_type {
        "TEXT_DELIVERED" | "TEXT_SUCCESSFUL" => Some(Verdict {
            status: CarrierStatus::Delivered,
            opted_out: false,
        }),
        "TEXT_QUEUED" | "TEXT_PENDING" => None,
        // The recipient opted out.
        "TEXT_OPTED_OUT" => failed(true),
        // "The recipient's device or carrier is blocking messages sent to that
        // recipient" (AWS, "Event types for SMS, MMS, and voice"): not delivered, and
        // not the person's wish, so no consent changes.
        "TEXT_BLOCKED" => failed(false),
        // Unreachable, invalid, TTL expired, spam, unknown, …: once final, failed for
        // that reason (a transient carrier error may still end delivered).
        _ if is_final => failed(false),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarrierEventOutcome {
    /// Recorded on the text's log entry.
    Recorded,
    /// A later report was already recorded (or the entry is gone).
    Superseded,
    /// No text of ours has that message id (a STOP/HELP reply, a code).
    UnknownMessage,
    /// An interim status: nothing to record.
    Interim,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CarrierEventReport {
    pub outcome: CarrierEventOutcome,
    /// Whether the event set the platform-wide opt-out.
    pub opted_out: bool,
}

/// Records one carrier event (see the module comment). The opt-out is set first and
/// whatever the message id: a carrier's opt-out matters even for a text we do not log.
pub async fn record_carrier_event<S>(
    store: &S,
    event: &CarrierEvent,
    now: DateTime<Utc>,
) -> Result<CarrierEventReport, DomainError>
where
    S: CarrierOutcomeStore + InboundStore,
{
    let Some(verdict) = verdict(&event.event_type, event.is_final) else {
        return Ok(CarrierEventReport {
            outcome: CarrierEventOutcome::Interim,
            opted_out: false,
        });
    };
    let mut opted_out = false;
    if verdict.opted_out {
        if let Some(phone) = event.destination.as_deref() {
            // The same port as a STOP keyword: `PHONE#…/OPTOUT`, later message wins.
            let source = format!("carrier:{}", event.message_id);
            let change = store
                .set_opted_out(phone, true, event.at, &source, now)
                .await?;
            opted_out = change != crate::ports::OptOutChange::Stale;
            tracing::info!(message_id = %event.message_id, event_type = %event.event_type, phone_last4 = %crate::telemetry::phone_last4(phone), stands = opted_out, "carrier reports an opt-out; recorded platform-wide");
        } else {
            tracing::error!(message_id = %event.message_id, event_type = %event.event_type, "carrier opt-out without a destination number; not recorded");
        }
    }
    let Some(text) = store.find_text(&event.message_id).await? else {
        tracing::info!(message_id = %event.message_id, event_type = %event.event_type, "carrier event for a message no intent sent");
        return Ok(CarrierEventReport {
            outcome: CarrierEventOutcome::UnknownMessage,
            opted_out,
        });
    };
    let reason = (verdict.status == CarrierStatus::Failed).then(|| match &event.message_status {
        Some(status) => format!("{}: {status}", event.event_type),
        None => event.event_type.clone(),
    });
    let outcome = CarrierOutcome {
        status: verdict.status,
        reason,
        at: event.at,
    };
    let recorded = store.record_carrier_outcome(&text, &outcome).await?;
    tracing::info!(booking_id = %text.booking_id, intent_id = %text.intent_id, message_id = %event.message_id, delivery_status = verdict.status.as_str(), recorded, "carrier outcome");
    Ok(CarrierEventReport {
        outcome: if recorded {
            CarrierEventOutcome::Recorded
        } else {
            CarrierEventOutcome::Superseded
        },
        opted_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_stop_keyword_on_a_carrier_that_answers_it_is_confirmed_by_the_carrier() {
        assert!(carrier_confirmed_stop(true, "STOP"));
        assert!(carrier_confirmed_stop(true, " stop. "));
        assert!(!carrier_confirmed_stop(true, "please stop texting me"));
        assert!(!carrier_confirmed_stop(false, "STOP"));
    }

    #[test]
    fn delivered_blocked_opted_out_and_interim_events_mean_what_aws_documents() {
        let delivered = verdict("TEXT_DELIVERED", true).unwrap();
        assert_eq!(delivered.status, CarrierStatus::Delivered);
        assert!(!delivered.opted_out);
        assert_eq!(
            verdict("TEXT_SUCCESSFUL", true).unwrap().status,
            CarrierStatus::Delivered
        );
        let opted_out = verdict("TEXT_OPTED_OUT", true).unwrap();
        assert_eq!(opted_out.status, CarrierStatus::Failed);
        assert!(opted_out.opted_out);
        let blocked = verdict("TEXT_BLOCKED", true).unwrap();
        assert_eq!(blocked.status, CarrierStatus::Failed);
        assert!(
            !blocked.opted_out,
            "a carrier block is not the recipient's opt-out"
        );
        let unreachable = verdict("TEXT_CARRIER_UNREACHABLE", true).unwrap();
        assert_eq!(unreachable.status, CarrierStatus::Failed);
        assert!(!unreachable.opted_out);
        assert_eq!(verdict("TEXT_CARRIER_UNREACHABLE", false), None);
        assert_eq!(verdict("TEXT_PENDING", false), None);
        assert_eq!(verdict("TEXT_QUEUED", false), None);
    }
}
