//! The SMS failure queue: a text that could not be sent after retries is put here for
//! a person to act on (ids and the error only, never the number or the text).
use serde_json::json;

use crate::domain::sms::SmsIntent;
use crate::ports::FailureQueue;

#[derive(Clone, Debug)]
pub struct SqsFailureQueue {
    client: aws_sdk_sqs::Client,
    queue_url: Option<String>,
}

impl SqsFailureQueue {
    pub fn new(client: aws_sdk_sqs::Client, queue_url: Option<String>) -> Self {
        Self { client, queue_url }
    }
}

impl FailureQueue for SqsFailureQueue {
    async fn report_failure(&self, intent: &SmsIntent, reason: &str) {
        let Some(url) = &self.queue_url else {
            tracing::error!(intent_id = %intent.id, "no failure queue configured; failure only logged");
            return;
        };
        let body = json!({
            "booking_id": intent.booking_id,
            "intent_id": intent.id,
            "kind": intent.kind.as_str(),
            "reason": reason,
        });
        if let Err(e) = self
            .client
            .send_message()
            .queue_url(url)
            .message_body(body.to_string())
            .send()
            .await
        {
            tracing::error!(intent_id = %intent.id, error = %aws_sdk_sqs::error::DisplayErrorContext(&e), "could not queue an SMS failure");
        }
    }
}
