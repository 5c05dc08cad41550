//! The lists a researcher app draws its screens from, each a page at a time.
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::bookings::Booking;
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::participants::{Participant, ParticipantFilter};
use crate::domain::studies::Study;
use crate::domain::workspaces::{Membership, Workspace};

/// What a user belongs to.
pub trait MemberDirectory {
    /// The user's workspaces, with the user's membership of each, by workspace id.
    async fn list_user_workspaces(
        &self,
        user_id: &str,
        page: &PageRequest,
    ) -> Result<Page<(Workspace, Membership)>, StoreError>;
    /// The workspace's studies whose team the user is on, by study id.
    async fn list_user_studies(
        &self,
        user_id: &str,
        workspace_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Study>, StoreError>;
}

/// A study's people and schedule.
pub trait StudyDirectory {
    /// The study's participants that pass `filter`, newest first.
    async fn list_participants(
        &self,
        study_id: &str,
        filter: &ParticipantFilter,
        page: &PageRequest,
    ) -> Result<Page<Participant>, StoreError>;
    /// One participant's bookings, newest first.
    async fn list_participant_bookings(
        &self,
        study_id: &str,
        participant_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Booking>, StoreError>;
    /// The study's bookings that start at or after `from` and before `to`, by start.
    async fn list_study_bookings(
        &self,
        study_id: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        page: &PageRequest,
    ) -> Result<Page<Booking>, StoreError>;
}
