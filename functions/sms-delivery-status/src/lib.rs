//! Consumer of SNS's SMS delivery-status logs: CloudWatch Logs hands each batch of the
//! log groups `sns/<region>/<account>/DirectPublishToPhoneNumber` and `…/Failure` to
//! this function through their subscription filters (the `awslogs` event, gzipped and
//! base64-encoded, typed by `aws_lambda_events`). Each log event's message is one
//! delivery record; it is parsed into the carrier event below and handed to
//! `shared::domain::sms::carrier::record_carrier_event`, which joins it to its text by
//! the Publish's message id. A storage error fails the invocation, so Lambda retries it
//! (every step is idempotent) and finally sends it to the dead-letter queue.
use aws_lambda_events::event::cloudwatch_logs::{LogEntry, LogsEvent};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use shared::domain::sms::carrier::{self, CarrierEvent, CarrierEventReport};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// One SMS delivery-status record as SNS writes it ("Amazon SNS SMS delivery monitoring
/// with Amazon CloudWatch metrics and logs", the example logs for a successful and a
/// failed delivery). Only the fields used are read; the text itself is never in it.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeliveryRecord {
    pub notification: Notification,
    #[serde(default)]
    pub delivery: Delivery,
    pub status: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub message_id: String,
    /// `2016-06-28 00:40:34.558`: UTC, without a zone.
    #[serde(default)]
    pub timestamp: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    #[serde(default)]
    pub destination: Option<String>,
    #[serde(default)]
    pub provider_response: Option<String>,
}

/// The record's own time, else the log event's.
fn reported_at(record: &DeliveryRecord, entry: &LogEntry) -> DateTime<Utc> {
    record
        .notification
        .timestamp
        .as_deref()
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f").ok())
        .map(|t| t.and_utc())
        .or_else(|| Utc.timestamp_millis_opt(entry.timestamp).single())
        .unwrap_or_else(Utc::now)
}

/// The carrier event in one log event, or `None` when the message is not a delivery
/// record (nothing else is written to these groups; a retry would not change it).
pub fn carrier_event(entry: &LogEntry) -> Option<CarrierEvent> {
    let record: DeliveryRecord = serde_json::from_str(&entry.message).ok()?;
    let at = reported_at(&record, entry);
    Some(CarrierEvent {
        message_id: record.notification.message_id,
        status: record.status,
        provider_response: record.delivery.provider_response,
        destination: record.delivery.destination,
        at,
    })
}

/// What one invocation did: a report per delivery record, and how many log events were
/// not delivery records.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub records: Vec<CarrierEventReport>,
    pub unreadable: usize,
}

pub async fn handle(state: &WorkerState, event: LogsEvent) -> Result<Report, DomainError> {
    let data = event.aws_logs.data;
    let mut report = Report::default();
    // "Sometimes CloudWatch Logs may emit Lambda records with a CONTROL_MESSAGE type,
    // mainly for checking if the destination is reachable" (Using CloudWatch Logs
    // subscription filters): nothing to record.
    if data.message_type != "DATA_MESSAGE" {
        return Ok(report);
    }
    for entry in &data.log_events {
        let Some(carrier_event) = carrier_event(entry) else {
            // The id only: the message could hold a number.
            tracing::warn!(log_group = %data.log_group, log_event_id = %entry.id, "log event that is not an SMS delivery record; skipped");
            report.unreadable += 1;
            continue;
        };
        let done = carrier::record_carrier_event(&state.store, &carrier_event, Utc::now()).await?;
        report.records.push(done);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record of a fixture file, as the message of a log event.
    fn entry(name: &str) -> LogEntry {
        let path = format!(
            "{}/../../tests/fixtures/sns-sms-delivery/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        LogEntry {
            id: "1".into(),
            timestamp: 1_467_074_434_000,
            message: std::fs::read_to_string(&path).unwrap(),
        }
    }

    #[test]
    fn the_documented_records_parse_into_carrier_events() {
        let delivered = carrier_event(&entry("success")).unwrap();
        assert_eq!(delivered.message_id, "34d9b400-c6dd-5444-820d-fbeb0f1f54cf");
        assert_eq!(delivered.status, "SUCCESS");
        assert_eq!(
            delivered.provider_response.as_deref(),
            Some("Message has been accepted by phone carrier")
        );
        assert_eq!(
            delivered.at,
            "2016-06-28T00:40:34.558Z".parse::<DateTime<Utc>>().unwrap()
        );
        let failed = carrier_event(&entry("failure")).unwrap();
        assert_eq!(failed.status, "FAILURE");
        assert_eq!(
            failed.provider_response.as_deref(),
            Some("Unknown error attempting to reach phone")
        );
        // AWS's example masks the number: it is never taken for one.
        assert_eq!(failed.destination.as_deref(), Some("+1XXX5550100"));
    }

    #[test]
    fn the_event_cloudwatch_logs_hands_a_function_decodes() {
        let path = format!(
            "{}/../../tests/fixtures/cloudwatch-logs/message-event.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let event: LogsEvent =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let data = event.aws_logs.data;
        assert_eq!(data.message_type, "DATA_MESSAGE");
        assert_eq!(data.log_group, "testLogGroup");
        assert_eq!(data.log_events.len(), 2);
        // Its messages are not delivery records: skipped, not an error.
        assert!(data.log_events.iter().all(|e| carrier_event(e).is_none()));
    }

    #[test]
    fn a_log_event_that_is_not_a_record_is_skipped() {
        let mut other = entry("success");
        other.message = "[ERROR] First test message".into();
        assert!(carrier_event(&other).is_none());
    }
}
