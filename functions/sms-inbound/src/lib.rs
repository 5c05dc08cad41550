//! The STOP handler: subscribed to the SNS topic AWS End User Messaging publishes
//! two-way SMS to. Each SNS record carries one notification (`originationNumber`,
//! `destinationNumber`, `messageKeyword`, `messageBody`, `inboundMessageId`,
//! `previousPublishedMessageId`). `messageKeyword` is the number's registered keyword,
//! not what the person typed, so the body is parsed here.
use chrono::Utc;
use shared::aws_events::{SnsEventObj, SnsRecordObj};
use shared::domain::inbound::{self, InboundOutcome, InboundSms};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

pub use shared::aws_events::TwoWaySms;

/// The event this function takes: SNS records whose message is that notification.
pub type InboundEvent = SnsEventObj<TwoWaySms>;

/// The inbound text in one SNS record.
pub fn inbound_sms(record: &SnsRecordObj<TwoWaySms>) -> InboundSms {
    record.sns.message.inbound(record.sns.timestamp)
}

/// Handles every record; a failure fails the invocation so Lambda retries it (the
/// steps are idempotent) and, in the end, sends it to the dead-letter queue. So does a
/// record that is not a two-way SMS notification: it does not deserialize.
pub async fn handle(
    state: &WorkerState,
    event: InboundEvent,
) -> Result<Vec<InboundOutcome>, DomainError> {
    let mut outcomes = Vec::with_capacity(event.records.len());
    for record in &event.records {
        outcomes.push(
            inbound::handle_inbound(
                &state.store,
                state.sender(),
                &state.inbound,
                &inbound_sms(record),
                Utc::now(),
            )
            .await?,
        );
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's documented shapes: the Lambda SNS event ("Using Lambda with Amazon SNS")
    /// whose message is End User Messaging's two-way SMS payload, as a participant's
    /// STOP arrives (`tests/fixtures/aws-events/`).
    #[test]
    fn reads_the_end_user_messaging_notification_inside_an_sns_record() {
        let fixture = include_str!("../../../tests/fixtures/aws-events/sns-two-way-sms.json");
        let event: InboundEvent = serde_json::from_str(fixture).unwrap();
        let sms = inbound_sms(&event.records[0]);
        assert_eq!(sms.from, "+14255550182");
        assert_eq!(sms.to, "+12125550101");
        assert_eq!(sms.body, "Stop");
        assert_eq!(sms.id, "cae173d2-66b9-564c-8309-21f858e9fb84");
        assert_eq!(
            sms.received_at.to_rfc3339(),
            "2026-12-01T14:00:00.123+00:00"
        );
    }

    #[test]
    fn a_record_that_is_not_a_two_way_sms_does_not_deserialize() {
        let fixture = include_str!("../../../tests/fixtures/aws-events/sns-two-way-sms.json");
        let mut event: serde_json::Value = serde_json::from_str(fixture).unwrap();
        event["Records"][0]["Sns"]["Message"] = serde_json::json!("not json");
        assert!(serde_json::from_value::<InboundEvent>(event).is_err());
    }
}
