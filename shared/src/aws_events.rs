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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

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
