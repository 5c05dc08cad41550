//! SMS through SNS `Publish` to a phone number: transactional, from the managed
//! origination number.
//!
//! `Publish` is not idempotent: a retry of a request SNS accepted texts the person
//! again. So the client retries only what SNS surely did not accept
//! ([`AtMostOnceRetryClassifier`]): a throttling answer (SNS answered and refused) and a
//! connection that failed before the request was written. A timeout, a 5xx, a
//! connection lost after the request went out, or an answer that cannot be read is
//! ambiguous — the text may have gone out — and becomes [`SendError::Unconfirmed`]
//! after that one attempt, never a second one.
use aws_sdk_sns::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sns::types::MessageAttributeValue;

use super::at_most_once::{transport_error, AtMostOnceRetryClassifier};

use crate::ports::{SendError, SmsSender};

#[derive(Clone, Debug)]
pub struct SnsSmsSender {
    client: aws_sdk_sns::Client,
}

impl SnsSmsSender {
    pub fn new(client: aws_sdk_sns::Client) -> Self {
        Self { client }
    }

    /// The sender with the client every function texts through: the SDK's standard
    /// retry mode (backoff with jitter, up to five attempts) narrowed by
    /// [`AtMostOnceRetryClassifier`] to what SNS surely did not accept.
    pub fn from_sdk(sdk: &aws_config::SdkConfig) -> Self {
        let config = aws_sdk_sns::config::Builder::from(sdk)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(5))
            .retry_classifier(AtMostOnceRetryClassifier)
            .build();
        Self::new(aws_sdk_sns::Client::from_conf(config))
    }
}

fn string_attribute(value: &str) -> Option<MessageAttributeValue> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .ok()
}

/// What a failed `Publish` means for the text.
fn send_error(err: &SdkError<aws_sdk_sns::operation::publish::PublishError>) -> SendError {
    match err {
        SdkError::ServiceError(service) => {
            let code = err.code().unwrap_or("unknown").to_owned();
            let server_side = service.raw().status().is_server_error();
            match code.as_str() {
                "Throttling"
                | "ThrottlingException"
                | "ThrottledException"
                | "TooManyRequestsException" => SendError::Throttled(code),
                "InvalidParameter"
                | "InvalidParameterValue"
                | "OptedOut"
                | "AuthorizationError" => SendError::Rejected(code),
                _ if server_side => SendError::Unconfirmed(format!("server error {code}")),
                _ => SendError::Rejected(code),
            }
        }
        _ => transport_error(err),
    }
}

impl SmsSender for SnsSmsSender {
    async fn send_sms(
        &self,
        to: &str,
        from: Option<&str>,
        body: &str,
        _dedupe_key: &str,
    ) -> Result<String, SendError> {
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
            Ok(out) => Ok(out.message_id.unwrap_or_default()),
            Err(err) => Err(send_error(&err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// How a stand-in for SNS answers each request, in order (the last one repeats).
    #[derive(Clone, Copy)]
    enum Answer {
        Throttling,
        ServerError,
        /// Reads the request, then closes the connection without a word.
        Hangup,
        Accepted,
    }

    /// A stand-in for SNS on loopback; returns its URL and the number of requests
    /// that reached it.
    async fn stand_in(script: Vec<Answer>) -> (String, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let counter = counter.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    loop {
                        let mut request = Vec::new();
                        let mut buf = [0u8; 4096];
                        // Headers, then the body by Content-Length.
                        let body_start = loop {
                            let Ok(n) = socket.read(&mut buf).await else {
                                return;
                            };
                            if n == 0 {
                                return;
                            }
                            request.extend_from_slice(&buf[..n]);
                            if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                                break at + 4;
                            }
                        };
                        let head = String::from_utf8_lossy(&request[..body_start]).to_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        while request.len() < body_start + length {
                            let Ok(n) = socket.read(&mut buf).await else {
                                return;
                            };
                            if n == 0 {
                                return;
                            }
                            request.extend_from_slice(&buf[..n]);
                        }
                        let index = counter.fetch_add(1, Ordering::SeqCst);
                        let answer = script[index.min(script.len() - 1)];
                        let (status, body) = match answer {
                            Answer::Hangup => return,
                            Answer::Throttling => ("400 Bad Request", "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>slow down</Message></Error><RequestId>r</RequestId></ErrorResponse>"),
                            Answer::ServerError => ("500 Internal Server Error", "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>oops</Message></Error><RequestId>r</RequestId></ErrorResponse>"),
                            Answer::Accepted => ("200 OK", "<PublishResponse><PublishResult><MessageId>msg-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>"),
                        };
                        let reply = format!(
                            "HTTP/1.1 {status}\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (url, seen)
    }

    async fn sender(url: &str) -> SnsSmsSender {
        SnsSmsSender::from_sdk(
            &crate::aws::emulator_sdk_config_with_timeout(url, std::time::Duration::from_secs(2))
                .await,
        )
    }

    async fn send(url: &str) -> Result<String, SendError> {
        sender(url)
            .await
            .send_sms("+16175550100", Some("+16175550199"), "hi", "test")
            .await
    }

    #[tokio::test]
    async fn throttling_is_retried_until_sns_accepts_and_the_message_id_comes_back() {
        let (url, seen) = stand_in(vec![
            Answer::Throttling,
            Answer::Throttling,
            Answer::Accepted,
        ])
        .await;
        assert_eq!(send(&url).await.unwrap(), "msg-1");
        assert_eq!(seen.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_server_error_is_unconfirmed_after_one_attempt() {
        let (url, seen) = stand_in(vec![Answer::ServerError, Answer::Accepted]).await;
        let err = send(&url).await.unwrap_err();
        assert!(matches!(err, SendError::Unconfirmed(_)), "{err:?}");
        assert_eq!(seen.load(Ordering::SeqCst), 1, "a 5xx was retried");
    }

    #[tokio::test]
    async fn a_connection_lost_after_the_request_went_out_is_unconfirmed_after_one_attempt() {
        let (url, seen) = stand_in(vec![Answer::Hangup, Answer::Accepted]).await;
        let err = send(&url).await.unwrap_err();
        assert!(matches!(err, SendError::Unconfirmed(_)), "{err:?}");
        assert_eq!(seen.load(Ordering::SeqCst), 1, "a lost answer was retried");
    }

    #[tokio::test]
    async fn a_connection_refused_before_sending_is_retried_and_reported_as_not_sent() {
        // A port nobody listens on: every attempt fails to connect, nothing is sent.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let err = send(&url).await.unwrap_err();
        assert!(matches!(err, SendError::Unavailable(_)), "{err:?}");
    }
}
