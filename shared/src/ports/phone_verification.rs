//! Verifying a user's phone number.
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::phone_verification::{PendingCode, VerifiedPhone};

/// Phone verification codes (hashed) and verified phones, per user.
pub trait PhoneVerificationStore {
    async fn pending_code(&self, user_id: &str) -> Result<Option<PendingCode>, StoreError>;
    /// Replaces the pending code, provided it is still the one last sent at
    /// `previous_sent_at` (`None`: there was none); `ConditionFailed` otherwise.
    async fn save_code(
        &self,
        code: &PendingCode,
        previous_sent_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError>;
    /// Counts a wrong code; `ConditionFailed` once the tries are used up.
    async fn count_failed_attempt(&self, code: &PendingCode) -> Result<(), StoreError>;
    /// Records the verified phone and removes the code, in one transaction that fails
    /// (`ConditionFailed`) if the code changed or its tries ran out meanwhile.
    async fn complete_verification(
        &self,
        code: &PendingCode,
        verified: &VerifiedPhone,
    ) -> Result<(), StoreError>;
    async fn verified_phone(&self, user_id: &str) -> Result<Option<VerifiedPhone>, StoreError>;
}
