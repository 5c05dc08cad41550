//! Email through SES v2 `SendEmail`, from the configured sender address. The address
//! is never logged; the caller logs ids.
//!
//! `SendEmail` is not idempotent: the client retries only what SES surely did not take
//! ([`AtMostOnceRetryClassifier`]); a timeout, a 5xx or a connection lost after the
//! request went out is [`SendError::Unconfirmed`] after that one attempt.
use aws_sdk_sesv2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sesv2::operation::send_email::SendEmailError;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

use super::at_most_once::{transport_error, AtMostOnceRetryClassifier};
use crate::domain::messaging::email::Email;
use crate::ports::{Mailer, SendError};

#[derive(Clone, Debug)]
pub struct SesMailer {
    client: aws_sdk_sesv2::Client,
    from: String,
    /// The configuration set whose events report bounces and complaints.
    configuration_set: Option<String>,
}

impl SesMailer {
    pub fn new(client: aws_sdk_sesv2::Client, from: impl Into<String>) -> Self {
        Self {
            client,
            from: from.into(),
            configuration_set: None,
        }
    }

    pub fn with_configuration_set(mut self, name: Option<String>) -> Self {
        self.configuration_set = name;
        self
    }

    /// The mailer every function emails through: standard retries (backoff with
    /// jitter) narrowed to what SES surely did not take.
    pub fn from_sdk(sdk: &aws_config::SdkConfig, from: impl Into<String>) -> Self {
        let config = aws_sdk_sesv2::config::Builder::from(sdk)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(5))
            .retry_classifier(AtMostOnceRetryClassifier)
            .build();
        Self::new(aws_sdk_sesv2::Client::from_conf(config), from)
    }
}

/// What a failed `SendEmail` means for the email.
fn send_error(err: &SdkError<SendEmailError>) -> SendError {
    match err {
        SdkError::ServiceError(service) => {
            let code = err.code().unwrap_or("unknown").to_owned();
            match code.as_str() {
                "TooManyRequestsException" | "LimitExceededException" => SendError::Throttled(code),
                _ if service.raw().status().is_server_error() => {
                    SendError::Unconfirmed(format!("server error {code}"))
                }
                _ => SendError::Rejected(code),
            }
        }
        _ => transport_error(err),
    }
}

fn content(text: &str) -> Result<Content, SendError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| SendError::Rejected(e.to_string()))
}

impl Mailer for SesMailer {
    async fn send_email(&self, to: &str, email: &Email) -> Result<(), SendError> {
        let message = Message::builder()
            .subject(content(&email.subject)?)
            .body(
                Body::builder()
                    .text(content(&email.text)?)
                    .html(content(&email.html)?)
                    .build(),
            )
            .build();
        let result = self
            .client
            .send_email()
            .from_email_address(&self.from)
            .set_configuration_set_name(self.configuration_set.clone())
            .destination(Destination::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await;
        result.map(|_| ()).map_err(|err| send_error(&err))
    }
}
