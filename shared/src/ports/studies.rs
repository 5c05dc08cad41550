//! Studies and their teams.
use super::{IdempotencyRecord, StoreError, WorkspaceStore};
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::studies::{Study, TeamMember, TeamRole};

/// Studies live in workspaces: whoever reads a study may need its workspace's members.
pub trait StudyStore: WorkspaceStore {
    /// Creates the study, its share-link lookup and its owner (and the idempotency
    /// record) at once; fails with `ConditionFailed` if the creator is no longer a
    /// member of the workspace.
    async fn create_study(
        &self,
        study: &Study,
        owner: &TeamMember,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_study(&self, study_id: &str) -> Result<Option<Study>, StoreError>;
    async fn find_study_by_share_token(
        &self,
        share_token: &str,
    ) -> Result<Option<Study>, StoreError>;
    async fn get_team_member(
        &self,
        study_id: &str,
        user_id: &str,
    ) -> Result<Option<TeamMember>, StoreError>;
    /// Writes a team member. `previous` is the role read before (None: new to the team).
    /// Fails with `ConditionFailed` if the user is not a member of the study's
    /// workspace, if the team changed meanwhile, or if no owner would remain.
    async fn put_team_member(
        &self,
        study: &Study,
        member: &TeamMember,
        previous: Option<TeamRole>,
    ) -> Result<(), StoreError>;
    async fn list_team(
        &self,
        study_id: &str,
        page: &PageRequest,
    ) -> Result<Page<TeamMember>, StoreError>;
    async fn set_interview_reminder(&self, study_id: &str, enabled: bool)
        -> Result<(), StoreError>;
}
