//! Taking access back: removing a workspace member or a study team member.
use super::StoreError;
use crate::domain::studies::TeamMember;
use crate::domain::workspaces::Membership;

/// What a removal did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// The entry changed (or went) since it was read: nothing was removed.
    Changed,
    /// It is the last admin of the workspace, or the last owner of the study: kept.
    LastOne,
}

pub trait AccessStore {
    /// Removes the membership if it still has the role read; an admin only while another
    /// admin remains, checked in the same transaction.
    async fn remove_membership(&self, membership: &Membership) -> Result<Removal, StoreError>;
    /// Removes the team entry if it still has the role read; an owner only while another
    /// owner remains, checked in the same transaction.
    async fn remove_team_member(&self, member: &TeamMember) -> Result<Removal, StoreError>;
}
