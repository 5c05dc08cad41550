//! A study's participants.
use super::{IdempotencyRecord, StoreError};
use crate::domain::participants::Participant;

pub trait ParticipantStore {
    async fn get_participant(
        &self,
        study_id: &str,
        participant_id: &str,
    ) -> Result<Option<Participant>, StoreError>;
    /// Adds a participant; `ConditionFailed` if one with that id is already there.
    async fn create_participant(
        &self,
        participant: &Participant,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    /// `ConditionFailed` if there is no such participant.
    async fn approve_participant(
        &self,
        study_id: &str,
        participant_id: &str,
    ) -> Result<(), StoreError>;
}
