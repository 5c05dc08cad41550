//! Consumer of AWS End User Messaging SMS's "Text Message Delivery Status Updated"
//! events (EventBridge, source `aws.sms-voice`): parses the event into the carrier
//! record below, hands it to `shared::domain::sms::carrier::record_carrier_event` and
//! returns what it did. A storage error fails the invocation, so EventBridge retries it
//! (every step is idempotent) and finally dead-letters it.
use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;
use shared::domain::sms::carrier::{self, CarrierEvent, CarrierEventReport};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The EventBridge envelope, as far as this function reads it. (`aws_lambda_events`'
/// `EventBridgeEvent` needs its `eventbridge` feature, which pulls in `serde_with`;
/// these four fields are all that is used.)
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Envelope {
    pub source: String,
    pub detail_type: String,
    #[serde(default)]
    pub time: Option<DateTime<Utc>>,
    pub detail: CarrierRecord,
}

/// One SMS event record as AWS End User Messaging SMS documents it ("Example SMS event
/// data"; the same record is the `detail` of the EventBridge event). Only the fields
/// used are read; the body of the message is never part of it.
#[derive(Debug, Deserialize)]
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

impl Envelope {
    fn into_event(self) -> CarrierEvent {
        let at = self
            .detail
            .event_timestamp
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
            .or(self.time)
            .unwrap_or_else(Utc::now);
        CarrierEvent {
            message_id: self.detail.message_id,
            event_type: self.detail.event_type,
            message_status: self.detail.message_status,
            is_final: self.detail.is_final,
            destination: self.detail.destination_phone_number,
            at,
        }
    }
}

#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Report {
    Handled(CarrierEventReport),
    Ignored { ignored: &'static str },
}

pub async fn handle(state: &WorkerState, event: Value) -> Result<Report, DomainError> {
    let envelope: Envelope = match serde_json::from_value(event) {
        Ok(envelope) => envelope,
        Err(e) => {
            // Not retried: the same event would fail the same way. Nothing of it is
            // logged but the parse error (which names fields, not values).
            tracing::warn!(error = %e, "not an SMS delivery status event; ignored");
            return Ok(Report::Ignored {
                ignored: "malformed_event",
            });
        }
    };
    if envelope.source != "aws.sms-voice"
        || envelope.detail_type != "Text Message Delivery Status Updated"
    {
        return Ok(Report::Ignored {
            ignored: "other_event",
        });
    }
    let report =
        carrier::record_carrier_event(&state.store, &envelope.into_event(), Utc::now()).await?;
    Ok(Report::Handled(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/../../tests/fixtures/carrier-events/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    #[test]
    fn the_documented_records_parse_into_carrier_events() {
        let delivered: Envelope = serde_json::from_value(fixture("delivered")).unwrap();
        let event = delivered.into_event();
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
