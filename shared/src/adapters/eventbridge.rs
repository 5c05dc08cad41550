//! Domain events on the EventBridge bus: each one's struct (`domain::events`) as the
//! entry's `detail`, under its detail type and our source.
use aws_sdk_eventbridge::types::PutEventsRequestEntry;

use crate::domain::events::{DomainEvent, PanelMessagePosted, SmsRequested, SOURCE};
use crate::domain::panel_chat::PanelMessage;
use crate::domain::sms::SmsIntent;
use crate::ports::EventPublisher;

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

impl EventBridgePublisher {
    fn entry<E: DomainEvent>(&self, event: &E) -> PutEventsRequestEntry {
        // A struct of strings and a time: serialising it cannot fail.
        let detail = serde_json::to_string(event).unwrap_or_default();
        PutEventsRequestEntry::builder()
            .event_bus_name(&self.bus)
            .source(SOURCE)
            .detail_type(E::DETAIL_TYPE)
            .detail(detail)
            .build()
    }
}

impl EventPublisher for EventBridgePublisher {
    async fn sms_requested(&self, intents: &[SmsIntent]) {
        for chunk in intents.chunks(10) {
            let entries: Vec<PutEventsRequestEntry> = chunk
                .iter()
                .map(|intent| self.entry(&SmsRequested::from(intent)))
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
        let entry = self.entry(&PanelMessagePosted::from(message));
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
