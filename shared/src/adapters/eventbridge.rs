//! Domain events on the EventBridge bus.
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use serde_json::json;

use crate::domain::sms::SmsIntent;
use crate::ports::EventPublisher;

pub const SOURCE: &str = "participant-messaging";
pub const SMS_REQUESTED: &str = "SmsRequested";

#[derive(Clone, Debug)]
pub struct EventBridgePublisher {
    client: aws_sdk_eventbridge::Client,
    bus: String,
}

impl EventBridgePublisher {
    pub fn new(client: aws_sdk_eventbridge::Client, bus: impl Into<String>) -> Self {
        Self {
            client,
            bus: bus.into(),
        }
    }
}

impl EventPublisher for EventBridgePublisher {
    async fn sms_requested(&self, intents: &[SmsIntent]) {
        for chunk in intents.chunks(10) {
            let entries: Vec<PutEventsRequestEntry> = chunk
                .iter()
                .map(|intent| {
                    PutEventsRequestEntry::builder()
                        .event_bus_name(&self.bus)
                        .source(SOURCE)
                        .detail_type(SMS_REQUESTED)
                        .detail(
                            json!({
                                "booking_id": intent.booking_id,
                                "intent_id": intent.id,
                                "bucket": intent.bucket(),
                                "kind": intent.kind.as_str(),
                            })
                            .to_string(),
                        )
                        .build()
                })
                .collect();
            match self
                .client
                .put_events()
                .set_entries(Some(entries))
                .send()
                .await
            {
                Ok(out) if out.failed_entry_count == 0 => {}
                Ok(out) => tracing::warn!(
                    failed = out.failed_entry_count,
                    "some SmsRequested events were not accepted; the dispatcher will send them"
                ),
                Err(e) => {
                    tracing::warn!(error = %aws_sdk_eventbridge::error::DisplayErrorContext(&e), "SmsRequested not published; the dispatcher will send it")
                }
            }
        }
    }
}
