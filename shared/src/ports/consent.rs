//! Consent to texts: the evidence records and each workspace's current state.
use super::StoreError;
use crate::domain::consent::{ConsentRecord, ConsentState};
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::phone::Phone;

pub trait ConsentStore {
    /// Records oldest first, for one number or (with `None`) the whole workspace.
    async fn list_consent_records(
        &self,
        workspace_id: &str,
        phone: Option<&Phone>,
        page: &PageRequest,
    ) -> Result<Page<ConsentRecord>, StoreError>;
    async fn consent_state(
        &self,
        workspace_id: &str,
        phone: &Phone,
    ) -> Result<ConsentState, StoreError>;
    /// Whether the number opted out by keyword (platform-wide).
    async fn is_opted_out(&self, phone: &Phone) -> Result<bool, StoreError>;
    /// Appends a granted or revoked record and moves the workspace's consent state with
    /// it. With `refuse_if_opted_out`, fails with `ConditionFailed` when the number
    /// opted out by keyword, checked in the same transaction.
    async fn append_consent(
        &self,
        record: &ConsentRecord,
        refuse_if_opted_out: bool,
    ) -> Result<(), StoreError>;
}
