//! Taking access back: a membership or a team entry deleted in one transaction with
//! the count of admins or owners, which must stay above zero.
use super::{DynamoStore, TransactError};
use crate::domain::studies::{TeamMember, TeamRole};
use crate::domain::workspaces::{Membership, WorkspaceRole};
use crate::ports::{AccessStore, Removal, StoreError};

impl AccessStore for DynamoStore {
    async fn remove_membership(&self, membership: &Membership) -> Result<Removal, StoreError> {
        let mut items = vec![self.membership_delete(membership)?];
        if membership.role == WorkspaceRole::Admin {
            items.push(self.admin_count_change(&membership.workspace_id, -1)?);
        }
        removal(self.transact_items(items).await)
    }

    async fn remove_team_member(&self, member: &TeamMember) -> Result<Removal, StoreError> {
        let mut items = vec![self.team_delete(member)?];
        if member.role == TeamRole::Owner {
            items.push(self.owner_count_change(&member.study_id, -1)?);
        }
        removal(self.transact_items(items).await)
    }
}

/// A removal is a delete (item 0), with the count that must stay above zero (item 1).
fn removal(result: Result<(), TransactError>) -> Result<Removal, StoreError> {
    match result {
        Ok(()) => Ok(Removal::Removed),
        Err(TransactError::Store(e)) => Err(e),
        Err(TransactError::Conditions(failed)) if failed.contains(&1) => Ok(Removal::LastOne),
        Err(TransactError::Conditions(_)) => Ok(Removal::Changed),
    }
}
