//! Reporting a text a person must look at (the SMS failure queue).
use thiserror::Error;

use crate::domain::sms::SmsKind;

/// A text a person must look at: ids and a reason, never the number or the body.
#[derive(Clone, Copy, Debug)]
pub struct SmsFailure<'a> {
    pub booking_id: &'a str,
    pub intent_id: &'a str,
    pub kind: SmsKind,
    pub reason: &'a str,
}

#[derive(Debug, Error)]
#[error("the failure queue did not take the report: {0}")]
pub struct QueueError(pub String);

/// Where failures a person must act on go (the SMS failure queue). An error means the
/// report was not queued (it is logged either way).
pub trait FailureQueue {
    async fn report_failure(&self, failure: &SmsFailure<'_>) -> Result<(), QueueError>;
}
