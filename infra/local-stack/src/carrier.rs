//! The local carrier: every text the emulated SNS accepted gets an SMS delivery-status
//! record, as SNS writes one to CloudWatch Logs when the account's delivery-status
//! logging is on ("Amazon SNS SMS delivery monitoring with Amazon CloudWatch metrics and
//! logs"), and each record reaches the function the template subscribes to its log group
//! in the event CloudWatch Logs hands a subscribed function (`awslogs`, gzipped and
//! base64-encoded). `POST /_dev/sms/carrier {phone, outcome}` sets what the carrier
//! reports for texts to a number from then on; `delivered` otherwise.
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

use crate::functions::WorkerHandler;

/// The account and Region of the emulator (moto's defaults): SNS's group names carry
/// them.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
/// How long after SNS took a text its record is written: real delivery reports take
/// seconds; the wait also lets the sender record the message id before its report.
const REPORT_AFTER: Duration = Duration::from_millis(1500);
/// How often the carrier looks for new texts.
const POLL_EVERY: Duration = Duration::from_millis(300);
/// CloudWatch Logs invokes asynchronously: Lambda retries a failed invocation twice.
const ATTEMPTS: usize = 3;

/// What the carrier reports for a text, in the contract's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Blocked,
    OptedOut,
    Unreachable,
}

impl Outcome {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "delivered" => Self::Delivered,
            "blocked" => Self::Blocked,
            "opted_out" => Self::OptedOut,
            "unreachable" => Self::Unreachable,
            _ => return None,
        })
    }

    /// SNS's `status` and `providerResponse` for it: the success example's answer, or a
    /// reason from SNS's list of SMS delivery failure reasons.
    fn record(self) -> (&'static str, &'static str) {
        match self {
            Self::Delivered => ("SUCCESS", "Message has been accepted by phone carrier"),
            Self::Blocked => ("FAILURE", "Phone carrier has blocked this message"),
            Self::OptedOut => ("FAILURE", "Phone number is opted out"),
            Self::Unreachable => ("FAILURE", "Phone is currently unreachable/unavailable"),
        }
    }
}

/// The functions subscribed to SNS's two delivery-status groups, by the template.
#[derive(Clone, Default)]
pub struct Subscribers {
    pub success: Vec<(String, WorkerHandler)>,
    pub failure: Vec<(String, WorkerHandler)>,
}

#[derive(Default)]
pub struct LocalCarrier {
    outcomes: Mutex<HashMap<String, Outcome>>,
}

impl LocalCarrier {
    /// From now on, texts to `phone` get `outcome`.
    pub fn set(&self, phone: &str, outcome: Outcome) {
        self.outcomes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(phone.to_owned(), outcome);
    }

    fn outcome_for(&self, phone: &str) -> Outcome {
        self.outcomes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(phone)
            .copied()
            .unwrap_or(Outcome::Delivered)
    }

    /// Reports every text the emulator takes, until the stack stops.
    pub async fn run(
        &'static self,
        emulator_url: String,
        http: reqwest::Client,
        subscribers: Subscribers,
    ) {
        // Texts taken before this stack started are another stack's: not reported.
        let mut next = loop {
            match new_texts(&http, &emulator_url, 0).await {
                Ok(texts) => break texts.len(),
                Err(e) => {
                    tracing::warn!(error = %e, "local carrier: could not read the emulator's texts");
                    tokio::time::sleep(POLL_EVERY).await;
                }
            }
        };
        // Texts seen, waiting for their report: (seen at, message id, number).
        let mut waiting: Vec<(tokio::time::Instant, String, String)> = Vec::new();
        loop {
            tokio::time::sleep(POLL_EVERY).await;
            match new_texts(&http, &emulator_url, next).await {
                Ok(texts) => {
                    next += texts.len();
                    let now = tokio::time::Instant::now();
                    waiting.extend(texts.into_iter().filter_map(|t| {
                        Some((
                            now,
                            t.get("message_id")?.as_str()?.to_owned(),
                            t.get("to")?.as_str()?.to_owned(),
                        ))
                    }));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "local carrier: could not read the emulator's texts")
                }
            }
            let due = tokio::time::Instant::now() - REPORT_AFTER;
            let split = waiting.partition_point(|(seen, _, _)| *seen <= due);
            let ready: Vec<_> = waiting.drain(..split).collect();
            if ready.is_empty() {
                continue;
            }
            let (mut success, mut failure) = (Vec::new(), Vec::new());
            for (_, message_id, phone) in ready {
                let outcome = self.outcome_for(&phone);
                let record = delivery_record(&message_id, &phone, outcome);
                if outcome == Outcome::Delivered {
                    success.push(record);
                } else {
                    failure.push(record);
                }
            }
            let success_group = format!("sns/{REGION}/{ACCOUNT}/DirectPublishToPhoneNumber");
            let failure_group = format!("{success_group}/Failure");
            for (group, records, functions) in [
                (success_group, success, &subscribers.success),
                (failure_group, failure, &subscribers.failure),
            ] {
                if records.is_empty() {
                    continue;
                }
                for (filter, handler) in functions {
                    let event = logs_event(&group, filter, &records);
                    invoke(filter, handler, event).await;
                }
            }
        }
    }
}

async fn new_texts(
    http: &reqwest::Client,
    emulator_url: &str,
    from: usize,
) -> Result<Vec<Value>, reqwest::Error> {
    let page: Value = http
        .get(format!("{emulator_url}/_sms?from={from}"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(page
        .get("sms")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// One record in the shape of SNS's examples, for the number the text went to.
fn delivery_record(message_id: &str, phone: &str, outcome: Outcome) -> String {
    let (status, response) = outcome.record();
    let now = chrono::Utc::now();
    json!({
        "notification": {
            "messageId": message_id,
            "timestamp": now.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
        },
        "delivery": {
            "mnc": 0,
            "destination": phone,
            "priceInUSD": 0.00645,
            "smsType": "Transactional",
            "mcc": 0,
            "providerResponse": response,
            "dwellTimeMs": 599,
            "dwellTimeMsUntilDeviceAck": 1344,
        },
        "status": status,
    })
    .to_string()
}

/// The event CloudWatch Logs hands a subscribed function: the log data (the shape of
/// "Example CloudWatch Logs message data (decoded)") gzipped and base64-encoded.
pub fn logs_event(group: &str, filter: &str, messages: &[String]) -> Value {
    let now = chrono::Utc::now().timestamp_millis();
    let data = json!({
        "messageType": "DATA_MESSAGE",
        "owner": ACCOUNT,
        "logGroup": group,
        "logStream": uuid::Uuid::new_v4().to_string(),
        "subscriptionFilters": [filter],
        "logEvents": messages.iter().enumerate().map(|(i, message)| json!({
            "id": format!("{now}{i:06}"),
            "timestamp": now,
            "message": message,
        })).collect::<Vec<_>>(),
    });
    json!({"awslogs": {"data": gzip_base64(data.to_string().as_bytes())}})
}

fn gzip_base64(bytes: &[u8]) -> String {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = gzip.write_all(bytes);
    let compressed = gzip.finish().unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(compressed)
}

/// As Lambda runs an asynchronous invocation: retried on failure, then given up (on AWS,
/// to the function's on-failure destination).
async fn invoke(filter: &str, handler: &WorkerHandler, event: Value) {
    for attempt in 1..=ATTEMPTS {
        match handler(event.clone()).await {
            Ok(_) => return,
            Err(e) if attempt < ATTEMPTS => {
                tracing::warn!(filter, attempt, error = %e, "local carrier: the consumer failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => {
                tracing::error!(filter, error = %e, "local carrier: the consumer failed every attempt; the records are dropped (on AWS: its dead-letter queue)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn fixture(name: &str) -> Value {
        let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// The shape of a JSON value: its keys, recursively (arrays by their first item).
    fn shape(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
            }
            Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
            Value::String(_) => json!("string"),
            Value::Number(_) => json!("number"),
            other => other.clone(),
        }
    }

    fn decoded(event: &Value) -> Value {
        let data = event["awslogs"]["data"].as_str().unwrap();
        let zipped = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&zipped[..])
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn the_local_event_has_the_shape_cloudwatch_logs_documents() {
        let record = delivery_record("m-1", "+16175550123", Outcome::OptedOut);
        let event = logs_event(
            "sns/us-east-1/123456789012/DirectPublishToPhoneNumber/Failure",
            "F",
            &[record],
        );
        let envelope = fixture("cloudwatch-logs/message-event.json");
        assert_eq!(shape(&event), shape(&envelope));
        let ours = decoded(&event);
        assert_eq!(
            shape(&ours),
            shape(&fixture("cloudwatch-logs/message-data-decoded.json"))
        );
        assert_eq!(shape(&ours), shape(&decoded(&envelope)));
    }

    #[test]
    fn the_local_records_have_the_shape_sns_documents() {
        let failed: Value =
            serde_json::from_str(&delivery_record("m-1", "+16175550123", Outcome::Blocked))
                .unwrap();
        assert_eq!(
            shape(&failed),
            shape(&fixture("sns-sms-delivery/failure.json"))
        );
        assert_eq!(failed["status"], "FAILURE");
        assert_eq!(
            failed["delivery"]["providerResponse"],
            "Phone carrier has blocked this message"
        );
        let delivered: Value =
            serde_json::from_str(&delivery_record("m-2", "+16175550123", Outcome::Delivered))
                .unwrap();
        assert_eq!(delivered["status"], "SUCCESS");
        // SNS's success example names the carrier too; every key of ours is one of its.
        let success = fixture("sns-sms-delivery/success.json");
        for key in delivered["delivery"].as_object().unwrap().keys() {
            assert!(success["delivery"].get(key).is_some(), "{key}");
        }
    }
}
