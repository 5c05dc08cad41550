//! Direct access to the emulator's state for checks (tests, the soak, the benches): not
//! part of the stack.
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// The JSON answer to `GET url`: the emulator's own routes (`/_outbox`), the fault
/// proxy's (`/_faults`).
pub async fn get_json(http: &reqwest::Client, url: &str) -> Result<serde_json::Value, String> {
    let answer = http
        .get(url)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    answer
        .json()
        .await
        .map_err(|e| format!("GET {url}: not JSON: {e}"))
}

/// The key of the `META` item of partition `pk` (`STUDY#…`, `BOOKING#…`) in a stack's
/// main table.
pub fn meta_key(pk: String) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("pk".to_owned(), AttributeValue::S(pk)),
        ("sk".to_owned(), AttributeValue::S("META".to_owned())),
    ])
}

/// The bodies of the messages waiting in the queue `queue_name` (a template queue's id
/// with the stack's prefix, e.g. `t1234abcd-SmsFailureQueue`), oldest first as far as
/// the emulator keeps order. Receiving hides them for `hidden_for_seconds`, so repeated
/// reads within that time see only new messages; each message is read once.
pub async fn receive_all(
    emulator_url: &str,
    queue_name: &str,
    hidden_for_seconds: i32,
) -> Result<Vec<String>, String> {
    let sdk = shared::aws::emulator_sdk_config(emulator_url).await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let url = sqs
        .get_queue_url()
        .queue_name(queue_name)
        .send()
        .await
        .map_err(|e| format!("queue {queue_name}: {e}"))?
        .queue_url
        .ok_or_else(|| format!("queue {queue_name} has no URL"))?;
    let mut bodies = Vec::new();
    loop {
        let out = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .visibility_timeout(hidden_for_seconds)
            .send()
            .await
            .map_err(|e| format!("receive from {queue_name}: {e}"))?;
        let messages = out.messages.unwrap_or_default();
        if messages.is_empty() {
            return Ok(bodies);
        }
        bodies.extend(messages.into_iter().filter_map(|m| m.body));
    }
}
