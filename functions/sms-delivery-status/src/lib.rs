//! Consumer of AWS End User Messaging SMS's "Text Message Delivery Status Updated"
//! events (EventBridge, source `aws.sms-voice`): parses the event into the carrier
//! record below, hands it to `shared::domain::sms::carrier::record_carrier_event` and
//! returns what it did. A storage error fails the invocation, so EventBridge retries it
//! (every step is idempotent) and finally dead-letters it.
use chrono::{TimeZone, Utc};
use serde::{Deserialize, Serialize};
use shared::aws_events::{is_from, EventBridgeEvent, Handled};
use shared::domain::sms::carrier::{self, CarrierEvent, CarrierEventReport};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The event this function takes: EventBridge's envelope around the carrier record.
pub type Envelope = EventBridgeEvent<CarrierRecord>;

/// One SMS event record as AWS End User Messaging SMS documents it ("Example SMS event
/// data"; the same record is the `detail` of the EventBridge event). Only the fields
/// used are read; the body of the message is never part of it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarrierRecord {
    pub event_type: String,
    #[serde(default)]
    pub event_timestamp: Option<i64>,
    #[serde(default)]
    pub is_final: bool,
    #[serde(default)]
    pub destination_phone_number: Option<String>,
    pub message_id: String,
    #[serde(default)]
    pub message_status: Option<String>,
}

/// The carrier's outcome in an event: timed by the record, else by the envelope.
pub fn carrier_event(envelope: Envelope) -> CarrierEvent {
    let at = envelope
        .detail
        .event_timestamp
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
        .or(envelope.time)
        .unwrap_or_else(Utc::now);
    let record = envelope.detail;
    CarrierEvent {
        message_id: record.message_id,
        event_type: record.event_type,
        message_status: record.message_status,
        is_final: record.is_final,
        destination: record.destination_phone_number,
        at,
    }
}

pub type Report = Handled<CarrierEventReport>;

pub async fn handle(state: &WorkerState, envelope: Envelope) -> Result<Report, DomainError> {
    if !is_from(
        &envelope,
        "aws.sms-voice",
        &["Text Message Delivery Status Updated"],
    ) {
        return Ok(Report::Ignored {
            ignored: "other_event",
        });
    }
    let report =
        carrier::record_carrier_event(&state.store, &carrier_event(envelope), Utc::now()).await?;
    Ok(Report::Done(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> serde_json::Value {
        let path = format!(
            "{}/../../tests/fixtures/carrier-events/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    #[test]
    fn the_documented_records_parse_into_carrier_events() {
        let delivered: Envelope = serde_json::from_value(fixture("delivered")).unwrap();
        let event = carrier_event(delivered);
        assert_eq!(event.event_type, "TEXT_DELIVERED");
        assert!(event.is_final);
        assert_eq!(event.message_id, "ed23196c-75ce-4727-93ee-7bf72b64998f");
        assert_eq!(event.at.timestamp_millis(), 1759342841377);
        let blocked: Envelope = serde_json::from_value(fixture("blocked")).unwrap();
        assert_eq!(blocked.detail.message_status.as_deref(), Some("BLOCKED"));
        let opted_out: Envelope = serde_json::from_value(fixture("opted-out")).unwrap();
        assert_eq!(opted_out.detail.event_type, "TEXT_OPTED_OUT");
        let unreachable: Envelope = serde_json::from_value(fixture("unreachable")).unwrap();
        assert_eq!(unreachable.detail.event_type, "TEXT_CARRIER_UNREACHABLE");
    }
}
