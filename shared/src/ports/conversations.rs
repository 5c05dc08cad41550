//! Secure messaging between a study team and its participants.
use chrono::{DateTime, Utc};

use super::{IdempotencyRecord, StoreError};
use crate::domain::messaging::{Conversation, Message, Notification};
use crate::domain::pagination::{Page, PageRequest};

/// Secure messaging: conversations, their messages, read state and bell notifications.
pub trait ConversationStore {
    /// The conversation, its first message and the participant's bell notification,
    /// all or nothing.
    async fn create_conversation(
        &self,
        conversation: &Conversation,
        first: &Message,
        bell: &Notification,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_conversation(
        &self,
        study_id: &str,
        conversation_id: &str,
    ) -> Result<Option<Conversation>, StoreError>;
    /// The conversation with this id held by the participant with this email.
    async fn find_participant_conversation(
        &self,
        email: &str,
        conversation_id: &str,
    ) -> Result<Option<Conversation>, StoreError>;
    async fn list_study_conversations(
        &self,
        study_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Conversation>, StoreError>;
    async fn list_participant_conversations(
        &self,
        email: &str,
        page: &PageRequest,
    ) -> Result<Page<Conversation>, StoreError>;
    /// Appends a message and counts it on the conversation, with its bell notifications
    /// for a team message. A participant's message needs the conversation accepted
    /// (`ConditionFailed` otherwise).
    async fn append_message(
        &self,
        conversation: &Conversation,
        message: &Message,
        bells: &[Notification],
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn accept_conversation(&self, conversation: &Conversation) -> Result<(), StoreError>;
    /// Newest first.
    async fn list_messages(
        &self,
        conversation_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Message>, StoreError>;
    /// How many participant messages `member_id` has read, per conversation id.
    async fn member_seen(
        &self,
        conversation_ids: &[String],
        member_id: &str,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError>;
    async fn set_member_seen(
        &self,
        conversation_id: &str,
        member_id: &str,
        seen: i64,
    ) -> Result<(), StoreError>;
    /// The participant has read `seen` team messages; the next one may email them.
    async fn set_participant_seen(
        &self,
        conversation: &Conversation,
        seen: i64,
    ) -> Result<(), StoreError>;
    /// True when no notification email for this conversation is waiting to be read:
    /// the caller may send one.
    async fn claim_email(&self, conversation: &Conversation) -> Result<bool, StoreError>;
    async fn release_email(&self, conversation: &Conversation) -> Result<(), StoreError>;
    /// Records that the last email's outcome is unknown (SES may have sent it).
    async fn record_email_unconfirmed(
        &self,
        conversation: &Conversation,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Newest first.
    async fn list_notifications(
        &self,
        email: &str,
        page: &PageRequest,
    ) -> Result<Page<Notification>, StoreError>;
    /// `ConditionFailed` when the user has no such notification.
    async fn mark_notification_read(
        &self,
        email: &str,
        notification_id: &str,
    ) -> Result<(), StoreError>;
}
