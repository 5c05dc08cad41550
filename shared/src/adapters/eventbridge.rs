//! Domain events on the EventBridge bus.
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use serde_json::json;

use crate::domain::panel_chat::PanelMessage;
use crate::domain::sms::SmsIntent;
use crate::ports::EventPublisher;

pub const SOURCE: &str = "participant-messaging";
pub const SMS_REQUESTED: &str = "SmsRequested";
pub const PANEL_MESSAGE_POSTED: &str = "PanelMessagePosted";

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

    async fn panel_message_posted(&self, message: &PanelMessage) -> bool {
        let entry = PutEventsRequestEntry::builder()
            .event_bus_name(&self.bus)
            .source(SOURCE)
            .detail_type(PANEL_MESSAGE_POSTED)
            .detail(
                json!({
                    "study_id": message.study_id,
                    "participant_id": message.participant_id,
                    "message_id": message.id,
                    "sent_at": message.sent_at.to_rfc3339(),
                })
                .to_string(),
            )
            .build();
        match self.client.put_events().entries(entry).send().await {
            Ok(out) if out.failed_entry_count == 0 => true,
            Ok(_) => false,
            Err(e) => {
                tracing::warn!(error = %aws_sdk_eventbridge::error::DisplayErrorContext(&e), "PanelMessagePosted not published");
                false
            }
        }
    }
}
