//! The SMS failure queue: a text that could not be sent after retries is put here for
//! a person to act on (ids and the error only, never the number or the text).
use serde_json::json;

use crate::ports::{FailureQueue, QueueError, SmsFailure};

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
    async fn report_failure(&self, failure: &SmsFailure<'_>) -> Result<(), QueueError> {
        let Some(url) = &self.queue_url else {
            // Nothing to retry into: the log line is all there is.
            tracing::error!(intent_id = %failure.intent_id, "no failure queue configured; failure only logged");
            return Ok(());
        };
        let body = json!({
            "booking_id": failure.booking_id,
            "intent_id": failure.intent_id,
            "kind": failure.kind.as_str(),
            "reason": failure.reason,
        });
        match self
            .client
            .send_message()
            .queue_url(url)
            .message_body(body.to_string())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let error = aws_sdk_sqs::error::DisplayErrorContext(&e).to_string();
                tracing::error!(intent_id = %failure.intent_id, error = %error, "could not queue an SMS failure");
                Err(QueueError(error))
            }
        }
    }
}
