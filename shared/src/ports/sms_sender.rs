//! Sending a text (SNS).
use super::SendError;

pub trait SmsSender {
    /// Sends one transactional SMS; the service's message id comes back (the key its
    /// carrier events name). `dedupe_key` identifies the intent in logs.
    async fn send_sms(
        &self,
        to: &str,
        from: Option<&str>,
        body: &str,
        dedupe_key: &str,
    ) -> Result<String, SendError>;
}
