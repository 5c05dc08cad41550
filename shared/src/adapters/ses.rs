//! Email through SES v2 `SendEmail`, from the configured sender address. The address
//! is never logged; the caller logs ids.
use aws_sdk_sesv2::error::ProvideErrorMetadata;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

use crate::domain::messaging::email::Email;
use crate::ports::{Mailer, SendError};

#[derive(Clone, Debug)]
pub struct SesMailer {
    client: aws_sdk_sesv2::Client,
    from: String,
}

impl SesMailer {
    pub fn new(client: aws_sdk_sesv2::Client, from: impl Into<String>) -> Self {
        Self {
            client,
            from: from.into(),
        }
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
            .destination(Destination::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) => {
                let code = err.code().unwrap_or("unknown").to_owned();
                Err(match code.as_str() {
                    "TooManyRequestsException" | "LimitExceededException" => {
                        SendError::Throttled(code)
                    }
                    "MessageRejected"
                    | "BadRequestException"
                    | "MailFromDomainNotVerifiedException"
                    | "AccountSuspendedException"
                    | "SendingPausedException" => SendError::Rejected(code),
                    _ => SendError::Unavailable(code),
                })
            }
        }
    }
}
