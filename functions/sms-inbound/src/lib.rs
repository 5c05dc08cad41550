//! The STOP handler: subscribed to the SNS topic AWS End User Messaging publishes
//! two-way SMS to. Each SNS record carries one notification (`originationNumber`,
//! `destinationNumber`, `messageKeyword`, `messageBody`, `inboundMessageId`,
//! `previousPublishedMessageId`). `messageKeyword` is the number's registered keyword,
//! not what the person typed, so the body is parsed here.
use chrono::{DateTime, Utc};
use serde_json::Value;
use shared::domain::inbound::{self, InboundOutcome, InboundSms};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The inbound text in one SNS record, or None if the record is not one.
pub fn parse_record(record: &Value) -> Option<InboundSms> {
    let sns = record.get("Sns")?;
    let message: Value = serde_json::from_str(sns.get("Message")?.as_str()?).ok()?;
    let text = |name: &str| message.get(name).and_then(Value::as_str).map(str::to_owned);
    let received_at = sns
        .get("Timestamp")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    Some(InboundSms {
        id: text("inboundMessageId")?,
        from: text("originationNumber")?,
        to: text("destinationNumber")?,
        body: text("messageBody").unwrap_or_default(),
        received_at,
    })
}

/// Handles every record; a failure fails the invocation so Lambda retries it (the
/// steps are idempotent) and, in the end, sends it to the dead-letter queue.
pub async fn handle(state: &WorkerState, event: Value) -> Result<Vec<InboundOutcome>, DomainError> {
    let records = event
        .get("Records")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut outcomes = Vec::with_capacity(records.len());
    for record in &records {
        let Some(sms) = parse_record(record) else {
            tracing::warn!("an SNS record without an inbound SMS notification; ignored");
            continue;
        };
        outcomes.push(
            inbound::handle_inbound(
                &state.store,
                state.sender(),
                &state.inbound,
                &sms,
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
    use serde_json::json;

    #[test]
    fn reads_the_end_user_messaging_notification() {
        let message = json!({
            "originationNumber": "+16175550123",
            "destinationNumber": "+16175550100",
            "messageKeyword": "KEYWORD_123456789012",
            "messageBody": "Stop please",
            "inboundMessageId": "cae173d2-66b9-564c-8309-21f858e9fb84",
            "previousPublishedMessageId": "wJ0EXAMPLE",
        });
        let record = json!({"Sns": {"Message": message.to_string(), "Timestamp": "2026-12-01T14:00:00.000Z"}});
        let sms = parse_record(&record).unwrap();
        assert_eq!(sms.from, "+16175550123");
        assert_eq!(sms.body, "Stop please");
        assert_eq!(sms.id, "cae173d2-66b9-564c-8309-21f858e9fb84");
        assert_eq!(sms.received_at.to_rfc3339(), "2026-12-01T14:00:00+00:00");
        assert!(parse_record(&json!({"Sns": {"Message": "not json"}})).is_none());
    }
}
