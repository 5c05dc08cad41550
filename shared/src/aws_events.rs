//! The typed events of the AWS triggers the worker functions take (the runtime's own
//! `aws_lambda_events` types), and the one check every consumer of an AWS service's
//! EventBridge events makes before it acts: that the event is the source and detail
//! type its rule matches. An event that does not deserialize fails the invocation, so
//! Lambda retries it and then dead-letters it, where a person sees it.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use aws_lambda_events::event::eventbridge::EventBridgeEvent;
pub use aws_lambda_events::event::sns::{SnsEventObj, SnsMessageObj, SnsRecordObj};

use crate::domain::inbound::InboundSms;

/// The notification AWS End User Messaging SMS publishes to the topic for each text a
/// number receives ("Example of a two-way SMS message payload for Amazon SNS topics"),
/// whether it reaches us in an SNS record or through the HTTPS subscription.
/// `messageKeyword` is the number's registered keyword, not what the person typed, so
/// the body is what the domain parses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TwoWaySms {
    pub origination_number: String,
    pub destination_number: String,
    #[serde(default)]
    pub message_keyword: Option<String>,
    #[serde(default)]
    pub message_body: String,
    pub inbound_message_id: String,
    #[serde(default)]
    pub previous_published_message_id: Option<String>,
}

impl TwoWaySms {
    /// The inbound text, received when SNS says it published it.
    pub fn inbound(&self, received_at: DateTime<Utc>) -> InboundSms {
        InboundSms {
            id: self.inbound_message_id.clone(),
            from: self.origination_number.clone(),
            to: self.destination_number.clone(),
            body: self.message_body.clone(),
            received_at,
        }
    }
}

/// What a consumer did with an event it was handed: its report, or why it left the
/// event alone.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Handled<R> {
    Done(R),
    Ignored { ignored: &'static str },
}

/// Whether `event` comes from `source` with one of `detail_types`.
pub fn is_from<T>(event: &EventBridgeEvent<T>, source: &str, detail_types: &[&str]) -> bool
where
    T: Serialize + serde::de::DeserializeOwned,
{
    event.source == source && detail_types.contains(&event.detail_type.as_str())
}

/// A worker's event, read so that a payload that does not fit is refused with an error
/// that names the type and quotes no value: the runtime logs that error, and a value of
/// the wrong type can be a phone number or a message.
#[derive(Debug)]
pub struct Scrubbed<E>(pub E);

impl<'de, E: Deserialize<'de>> Deserialize<'de> for Scrubbed<E> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        E::deserialize(deserializer).map(Scrubbed).map_err(|_| {
            serde::de::Error::custom(format!(
                "the event is not a {} (its values are not logged)",
                std::any::type_name::<E>()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn an_event_that_does_not_fit_is_refused_without_quoting_its_values() {
        // A phone number sent as a number, and a message body where an id belongs.
        let event = json!({"originationNumber": 16175550123_u64, "destinationNumber": "+1",
                           "inboundMessageId": {"body": "STOP texting me Ann"}});
        let err = serde_json::from_value::<Scrubbed<TwoWaySms>>(event).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("TwoWaySms") && text.contains("not logged"),
            "{text}"
        );
        assert!(
            !text.contains("16175550123") && !text.contains("STOP"),
            "{text}"
        );
        let plain =
            serde_json::from_value::<TwoWaySms>(json!({"originationNumber": 16175550123_u64}));
        assert!(plain.unwrap_err().to_string().contains("16175550123"));
        let good = json!({"originationNumber": "+16175550123", "destinationNumber": "+18005550100",
                          "inboundMessageId": "m-1", "messageBody": "STOP"});
        let Scrubbed(sms) = serde_json::from_value::<Scrubbed<TwoWaySms>>(good).unwrap();
        assert_eq!(sms.message_body, "STOP");
    }

    #[test]
    fn an_event_is_from_its_source_and_detail_type_only() {
        let event: EventBridgeEvent<Value> = serde_json::from_value(json!({
            "version": "0", "id": "1", "detail-type": "Email Bounced", "source": "aws.ses",
            "account": "123456789012", "time": "2026-12-01T14:45:00Z", "region": "us-east-1",
            "resources": [], "detail": {}
        }))
        .unwrap();
        assert!(is_from(
            &event,
            "aws.ses",
            &["Email Bounced", "Email Complaint Received"]
        ));
        assert!(!is_from(&event, "aws.sms-voice", &["Email Bounced"]));
        assert!(!is_from(&event, "aws.ses", &["Email Delivered"]));
    }
}
