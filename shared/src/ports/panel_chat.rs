//! Chat with an external panel's participants.
use chrono::{DateTime, Utc};

use super::{IdempotencyRecord, StoreError};
use crate::domain::messaging::Notification;
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::panel_chat::{DeliveryStatus, PanelMessage};
use crate::domain::participants::{Participant, ParticipantFilter};

/// External-panel chat: the study's record of every message, both ways.
pub trait PanelChatStore {
    /// The study's participants that pass `filter`, a page at a time.
    async fn list_study_participants(
        &self,
        study_id: &str,
        filter: &ParticipantFilter,
        page: &PageRequest,
    ) -> Result<Page<Participant>, StoreError>;
    async fn find_participant_by_panel_id(
        &self,
        study_id: &str,
        panel_participant_id: &str,
    ) -> Result<Option<Participant>, StoreError>;
    async fn save_panel_message(
        &self,
        message: &PanelMessage,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_panel_message(
        &self,
        study_id: &str,
        participant_id: &str,
        sent_at: DateTime<Utc>,
        message_id: &str,
    ) -> Result<Option<PanelMessage>, StoreError>;
    /// True when this relay may deliver the message now (not delivered, and nobody
    /// else is delivering it).
    async fn claim_delivery(
        &self,
        message: &PanelMessage,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    async fn record_delivery(
        &self,
        message: &PanelMessage,
        status: DeliveryStatus,
        attempts: i64,
    ) -> Result<(), StoreError>;
    /// Records a reply once per panel message id, with the team's bell notifications;
    /// false when it was already recorded (and nothing is written).
    async fn save_panel_reply(
        &self,
        message: &PanelMessage,
        panel_message_id: &str,
        bells: &[Notification],
    ) -> Result<bool, StoreError>;
    /// Newest first.
    async fn list_panel_messages(
        &self,
        study_id: &str,
        participant_id: &str,
        page: &PageRequest,
    ) -> Result<Page<PanelMessage>, StoreError>;
}
