//! Which phone numbers a workspace holds (`domain::consent`).
use super::StoreError;
use crate::domain::phone::Phone;

/// Which numbers a workspace holds.
pub trait PhoneRecordStore {
    /// Whether a participant of the workspace has the number (entered by staff; a
    /// number given at a booking has a consent state instead).
    async fn holds_phone(&self, workspace_id: &str, phone: &Phone) -> Result<bool, StoreError>;
}
