//! SMS through SNS `Publish` to a phone number: transactional, from the managed
//! origination number. Throttling is retried by the client's standard retry mode
//! (exponential backoff with jitter, see `lambda::sns_client`).
use aws_sdk_sns::error::ProvideErrorMetadata;
use aws_sdk_sns::types::MessageAttributeValue;

use crate::ports::{SendError, SmsSender};

#[derive(Clone, Debug)]
pub struct SnsSmsSender {
    client: aws_sdk_sns::Client,
}

impl SnsSmsSender {
    pub fn new(client: aws_sdk_sns::Client) -> Self {
        Self { client }
    }
}

fn string_attribute(value: &str) -> Option<MessageAttributeValue> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .ok()
}

impl SmsSender for SnsSmsSender {
    async fn send_sms(
        &self,
        to: &str,
        from: Option<&str>,
        body: &str,
        _dedupe_key: &str,
    ) -> Result<(), SendError> {
        let mut request = self
            .client
            .publish()
            .phone_number(to)
            .message(body)
            .set_message_attributes(None);
        if let Some(kind) = string_attribute("Transactional") {
            request = request.message_attributes("AWS.SNS.SMS.SMSType", kind);
        }
        if let Some(origin) = from.and_then(string_attribute) {
            request = request.message_attributes("AWS.MM.SMS.OriginationNumber", origin);
        }
        match request.send().await {
            Ok(_) => Ok(()),
            Err(err) => {
                let code = err.code().unwrap_or("unknown").to_owned();
                Err(match code.as_str() {
                    "Throttling"
                    | "ThrottlingException"
                    | "ThrottledException"
                    | "TooManyRequestsException" => SendError::Throttled(code),
                    "InvalidParameter"
                    | "InvalidParameterValue"
                    | "OptedOut"
                    | "AuthorizationError" => SendError::Rejected(code),
                    _ => SendError::Unavailable(code),
                })
            }
        }
    }
}
