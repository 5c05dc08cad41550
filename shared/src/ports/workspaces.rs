//! Workspaces and their memberships.
use super::{IdempotencyRecord, StoreError};
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::workspaces::{Membership, Workspace, WorkspaceRole};

pub trait WorkspaceStore {
    /// Creates the workspace with its first admin (and the idempotency record) at once.
    async fn create_workspace(
        &self,
        workspace: &Workspace,
        admin: &Membership,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_workspace(&self, workspace_id: &str) -> Result<Option<Workspace>, StoreError>;
    async fn get_membership(
        &self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<Membership>, StoreError>;
    /// Writes a membership. `previous` is the role read before (None: a new member).
    /// Fails with `ConditionFailed` if the membership changed meanwhile or if the write
    /// would leave the workspace without an admin.
    async fn put_membership(
        &self,
        membership: &Membership,
        previous: Option<WorkspaceRole>,
    ) -> Result<(), StoreError>;
    async fn list_memberships(
        &self,
        workspace_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Membership>, StoreError>;
    async fn set_sms_enabled(&self, workspace_id: &str, enabled: bool) -> Result<(), StoreError>;
    async fn set_require_phone_verification(
        &self,
        workspace_id: &str,
        required: bool,
    ) -> Result<(), StoreError>;
}
