//! Consumer of `SmsRequested` events: sends that one intent now, if nobody has yet.
//! A lost or failed event loses nothing: the reminder dispatcher sweeps every due
//! intent each minute.
use shared::aws_events::EventBridgeEvent;
use shared::domain::events::SmsRequested;
use shared::domain::sms::dispatch::SendOutcome;
use shared::domain::DomainError;
use shared::lambda::WorkerState;
use shared::ports::SmsStore;

#[derive(Debug, serde::Serialize)]
pub struct SenderReport {
    pub outcome: &'static str,
}

pub async fn handle(
    state: &WorkerState,
    event: EventBridgeEvent<SmsRequested>,
) -> Result<SenderReport, DomainError> {
    let SmsRequested {
        bucket, intent_id, ..
    } = &event.detail;
    let Some(intent) = state.store.find_intent(bucket, intent_id).await? else {
        return Ok(SenderReport {
            outcome: "already_handled",
        });
    };
    let outcome = state
        .dispatch()
        .send_intent(&intent, chrono::Utc::now())
        .await?;
    Ok(SenderReport {
        outcome: match outcome {
            SendOutcome::Sent => "sent",
            SendOutcome::Failed => "failed",
            SendOutcome::Unconfirmed => "unconfirmed",
            SendOutcome::Suppressed(_) => "suppressed",
            SendOutcome::AlreadyHandled => "already_handled",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::domain::sms::SmsKind;

    /// The event as EventBridge delivers it to the rule's target
    /// (`tests/fixtures/aws-events/`): the intent it names is the one the sender claims.
    #[test]
    fn reads_the_intent_from_the_eventbridge_event() {
        let fixture =
            include_str!("../../../tests/fixtures/aws-events/eventbridge-sms-requested.json");
        let event: EventBridgeEvent<SmsRequested> = serde_json::from_str(fixture).unwrap();
        assert_eq!(event.detail_type, "SmsRequested");
        assert_eq!(event.detail.bucket, "2026-12-01T14:45");
        assert_eq!(event.detail.intent_id, "20261201144500000000-1a2b3c4d");
        assert_eq!(event.detail.kind, SmsKind::Reminder);
        let mut renamed: serde_json::Value = serde_json::from_str(fixture).unwrap();
        renamed["detail"]["intent"] = renamed["detail"]["intent_id"].take();
        renamed["detail"]
            .as_object_mut()
            .unwrap()
            .remove("intent_id");
        assert!(serde_json::from_value::<EventBridgeEvent<SmsRequested>>(renamed).is_err());
    }
}
