//! Addresses email cannot reach (`domain::messaging::reachability`).
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::messaging::reachability::EmailProblem;

pub trait EmailSuppressionStore {
    /// Records the address (normalised) as unreachable; recording it again keeps the
    /// first problem's time and the latest problem.
    async fn suppress_email(
        &self,
        address: &str,
        problem: EmailProblem,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Which of these (normalised) addresses are suppressed, and why.
    async fn email_problems(
        &self,
        addresses: &[String],
    ) -> Result<HashMap<String, EmailProblem>, StoreError>;
}
