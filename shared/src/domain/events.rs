//! The domain events the functions put on the EventBridge bus: one struct each, which
//! the publisher serialises (`adapters/eventbridge.rs`) and every consumer reads back as
//! the typed `detail` of its event. A renamed field is a compile error on both sides,
//! and the wire test below fails if what goes on the bus changes.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::panel_chat::PanelMessage;
use super::sms::{SmsIntent, SmsKind};

/// The `source` of every event this system publishes (the rules in `template.yaml`
/// match it).
pub const SOURCE: &str = "participant-messaging";

/// A domain event: its `detail-type` on the bus, and its `detail`.
pub trait DomainEvent: Serialize + DeserializeOwned {
    const DETAIL_TYPE: &'static str;
}

/// A text is due now: the sender sends it at once (the dispatcher's sweep is the
/// fallback). Names the intent by its bucket and id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SmsRequested {
    pub booking_id: String,
    pub intent_id: String,
    pub bucket: String,
    pub kind: SmsKind,
}

impl DomainEvent for SmsRequested {
    const DETAIL_TYPE: &'static str = "SmsRequested";
}

crate::from_fields!(|intent: &SmsIntent| SmsRequested {
    booking_id, kind;
    intent_id: intent.id.clone(),
    bucket: intent.bucket(),
});

/// The team wrote to a panel participant: the relay forwards it to the panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PanelMessagePosted {
    pub study_id: String,
    pub participant_id: String,
    pub message_id: String,
    pub sent_at: DateTime<Utc>,
}

impl DomainEvent for PanelMessagePosted {
    const DETAIL_TYPE: &'static str = "PanelMessagePosted";
}

crate::from_fields!(|message: &PanelMessage| PanelMessagePosted {
    study_id, participant_id, sent_at;
    message_id: message.id.clone(),
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip<T: DomainEvent + PartialEq + std::fmt::Debug>(event: &T) -> serde_json::Value {
        let wire = serde_json::to_value(event).unwrap();
        let back: T = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(&back, event);
        wire
    }

    #[test]
    fn sms_requested_goes_on_the_bus_as_the_sender_reads_it() {
        let due: DateTime<Utc> = "2026-12-01T14:45:00Z".parse().unwrap();
        let intent = SmsIntent::new("bk_1", SmsKind::Reminder, due, due);
        let event = SmsRequested::from(&intent);
        assert_eq!(
            round_trip(&event),
            json!({"booking_id": "bk_1", "intent_id": intent.id, "bucket": "2026-12-01T14:45", "kind": "reminder"})
        );
        assert_eq!(SmsRequested::DETAIL_TYPE, "SmsRequested");
    }

    #[test]
    fn panel_message_posted_goes_on_the_bus_as_the_relay_reads_it() {
        let event = PanelMessagePosted {
            study_id: "st_1".into(),
            participant_id: "pt_1".into(),
            message_id: "msg_1".into(),
            sent_at: "2026-12-01T14:45:00Z".parse().unwrap(),
        };
        assert_eq!(
            round_trip(&event),
            json!({"study_id": "st_1", "participant_id": "pt_1", "message_id": "msg_1", "sent_at": "2026-12-01T14:45:00Z"})
        );
        assert_eq!(PanelMessagePosted::DETAIL_TYPE, "PanelMessagePosted");
    }

    /// The rules in template.yaml route these events by source and detail type.
    #[test]
    fn the_template_rules_match_the_published_names() {
        let template = include_str!("../../../template.yaml");
        assert!(template.contains(SOURCE));
        for detail_type in [SmsRequested::DETAIL_TYPE, PanelMessagePosted::DETAIL_TYPE] {
            assert!(template.contains(detail_type), "no rule for {detail_type}");
        }
    }
}
